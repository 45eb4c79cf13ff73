/** The HTTP + WebSocket transport over a running Candlekeep: handlers, pushes, readiness, metrics. */
import type { Runtime } from '../runtime.js';
import { startServer, type RunningServer, type ServerOptions } from './http-server.js';
import { RequestCounters, renderMetrics } from './metrics.js';
import { localRoutes } from './local-routes.js';

export interface ServeOptions {
  staticDir: string;
  host?: string;
  port?: number;
  token?: string;
  routes?: ServerOptions['routes'];
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

export async function serveRuntime(runtime: Runtime, options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && !options.token) {
    throw new Error(`binding ${host} makes Candlekeep reachable from other machines: set a token with --token or CANDLEKEEP_TOKEN`);
  }
  const counters = new RequestCounters();
  const unlisten = runtime.network.listen({ onRequest: (o) => counters.record(o) });
  const server = await startServer({
    handlers: runtime.handlers,
    events: runtime.events,
    staticDir: options.staticDir,
    host,
    port: options.port,
    token: options.token,
    routes: [...localRoutes(runtime.store, runtime.clock), ...(options.routes ?? [])],
    readiness: () => {
      const checks: Record<string, string> = {};
      try {
        runtime.store.db.prepare('SELECT 1').get();
        checks.database = 'ok';
      } catch (err) {
        checks.database = `unavailable: ${(err as Error).message}`;
      }
      checks.engine = runtime.engine.currentState;
      return { ready: checks.database === 'ok' && checks.engine === 'running', checks };
    },
    metrics: () =>
      renderMetrics({
        counters,
        candlesStored: runtime.engine.candlesStored,
        sources: runtime.health.sources(),
        series: runtime.health.seriesViews(),
        status: runtime.health.status(runtime.alerts.list().length),
      }),
  });
  return {
    ...server,
    close: async () => {
      unlisten();
      await server.close();
    },
  };
}
