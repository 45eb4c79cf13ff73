/** The HTTP + WebSocket transport over a running Candlekeep: handlers, pushes, readiness, metrics. */
import type { Runtime } from '../runtime.js';
import { startServer, type RunningServer, type ServerOptions } from './http-server.js';
import { RefusalCounters, RequestCounters, renderMetrics } from './metrics.js';
import { localRoutes } from './local-routes.js';
import { KlineStreamServer } from './kline-streams.js';
import { Authenticator } from './auth.js';
import { isLoopback } from './loopback.js';

export { isLoopback } from './loopback.js';

export interface ServeOptions {
  staticDir: string;
  host?: string;
  port?: number;
  /** An admin token for this run (`--token`, CANDLEKEEP_TOKEN); never stored. */
  token?: string;
  /** Every request but /healthz needs a token (always so off loopback, and with `token`). */
  requireToken?: boolean;
  allowHosts?: string[];
  allowOrigins?: string[];
  routes?: ServerOptions['routes'];
}

export async function serveRuntime(runtime: Runtime, options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && !options.token && runtime.store.tokens.count() === 0) {
    throw new Error(`binding ${host} makes Candlekeep reachable from other machines: create a token with 'candlekeep tokens add NAME --role admin', or pass --token (CANDLEKEEP_TOKEN)`);
  }
  const counters = new RequestCounters();
  const refusals = new RefusalCounters();
  const unlisten = runtime.network.listen({ onRequest: (o) => counters.record(o) });
  const auth = new Authenticator({
    tokens: runtime.store.tokens,
    clock: runtime.clock,
    runToken: options.token,
    requireToken: Boolean(options.requireToken || options.token || !isLoopback(host)),
  });
  const streams = new KlineStreamServer(runtime.store, runtime.events, () => runtime.clock.now());
  const server = await startServer({
    api: { handlers: runtime.handlers, audit: runtime.audit, onRefused: (reason) => refusals.record(reason) },
    events: runtime.events,
    staticDir: options.staticDir,
    host,
    port: options.port,
    auth,
    allowHosts: options.allowHosts,
    allowOrigins: options.allowOrigins,
    routes: [...localRoutes(runtime.store, runtime.clock), ...(options.routes ?? [])],
    sockets: { handles: KlineStreamServer.handles, attach: (ws, url) => streams.attach(ws, url) },
    readiness: () => {
      const checks: Record<string, string> = {};
      try {
        runtime.store.db.prepare('SELECT 1').get();
        checks.database = 'ok';
      } catch (err) {
        checks.database = `unavailable: ${(err as Error).message}`;
      }
      checks.engine = runtime.engine.currentState;
      // The same health as the tray, the title and the dashboard; shown, not gating: a source being
      // down does not make this server unable to serve what it has.
      if (checks.database === 'ok') checks.health = runtime.health.status(runtime.alerts.list().length).health;
      return { ready: checks.database === 'ok' && checks.engine === 'running', checks };
    },
    metrics: () =>
      renderMetrics({
        counters,
        refusals,
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
      streams.close();
      await server.close();
    },
  };
}
