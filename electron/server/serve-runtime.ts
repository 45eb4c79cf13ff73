/**
 * The HTTP + WebSocket transport over a running Candlekeep: handlers, pushes, readiness, metrics, and
 * the read workers that answer the heavy reads off the engine's event loop (read-pool.ts).
 */
import type { Runtime } from '../runtime.js';
import { startServer, type RunningServer, type ServerOptions } from './http-server.js';
import { RefusalCounters, RequestCounters, renderMetrics } from './metrics.js';
import { storedFleetStatus } from '../fleet/fleet-status.js';
import { localRoutes } from './local-routes.js';
import { KlineStreamServer } from './kline-streams.js';
import { Authenticator } from './auth.js';
import { isLoopback } from './loopback.js';
import type { Handlers } from './api.js';
import { inLoopReads, type Reads } from './reads.js';
import { ReadPool, defaultReadWorkers } from './read-pool.js';
import { LoopDelayMonitor, DELAY_BOUNDS_MS } from './loop-delay.js';
import { gapMapArgs } from './handlers/series-handlers.js';

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
  /** Threads for the heavy reads, each with its own read-only connection; 0 reads on the main thread. */
  readWorkers?: number;
}

/** The contract's reading channels that go where the reads run. */
function withReads(runtime: Runtime, reads: Reads): Handlers {
  return {
    ...runtime.handlers,
    'candles:buckets': (args) => reads.buckets(args),
    'gaps:map': (args) => reads.gapMap(gapMapArgs(runtime, args)),
  };
}

export async function serveRuntime(runtime: Runtime, options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && !options.token && runtime.store.tokens.count() === 0) {
    throw new Error(
      `binding ${host} makes Candlekeep reachable from other machines: create a token with 'candlekeep tokens add NAME --role admin', or pass --token (CANDLEKEEP_TOKEN)`,
    );
  }
  // A database in memory exists only on this connection: no other thread could read it. On
  // PostgreSQL the reads run on the server's own processes already, and the main thread only waits
  // for their answers: read workers would add threads, not parallelism, so reads stay in the loop.
  const workers =
    runtime.store.file === ':memory:' || runtime.store.dialect === 'postgres'
      ? 0
      : (options.readWorkers ?? defaultReadWorkers());
  const inLoop = inLoopReads(runtime.store);
  const reads: Reads =
    workers > 0
      ? new ReadPool({
          file: runtime.store.file,
          size: workers,
          fallback: inLoop,
          onTrouble: (message) => runtime.log.warn(message),
        })
      : inLoop;
  const loopDelay = new LoopDelayMonitor().start();
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
    api: { handlers: withReads(runtime, reads), audit: runtime.audit, onRefused: (reason) => refusals.record(reason) },
    events: runtime.events,
    staticDir: options.staticDir,
    host,
    port: options.port,
    auth,
    allowHosts: options.allowHosts,
    allowOrigins: options.allowOrigins,
    routes: [...localRoutes(runtime.store, runtime.clock, reads), ...(options.routes ?? [])],
    sockets: { handles: KlineStreamServer.handles, attach: (ws, url) => streams.attach(ws, url) },
    readiness: () => {
      const checks: Record<string, string> = {};
      try {
        runtime.store.db.prepare('SELECT 1').get();
        checks.database = 'ok';
      } catch (err) {
        checks.database = `unavailable: ${(err as Error).message}`;
      }
      // A serve that does not collect is ready without an engine: the daemon beside it collects.
      checks.engine = runtime.collecting ? runtime.engine.currentState : 'elsewhere';
      // The same health as the tray, the title and the dashboard; shown, not gating: a source being
      // down does not make this server unable to serve what it has.
      if (checks.database === 'ok') checks.health = runtime.health.status(runtime.alerts.list().length).health;
      return {
        ready: checks.database === 'ok' && (checks.engine === 'running' || checks.engine === 'elsewhere'),
        checks,
      };
    },
    metrics: () =>
      renderMetrics({
        counters,
        refusals,
        loopDelay: { bounds: DELAY_BOUNDS_MS, counts: loopDelay.counts, sumMs: loopDelay.sumMs },
        reads: { served: reads.served(), threads: reads.threads() },
        candlesStored: runtime.engine.candlesStored,
        sources: runtime.health.sources(),
        series: runtime.health.seriesViews(),
        status: runtime.health.status(runtime.alerts.list().length),
        slo: runtime.history.slo(),
        fleet: storedFleetStatus(runtime.store.db),
      }),
  }).catch(async (err: unknown) => {
    unlisten();
    loopDelay.stop();
    await reads.close();
    throw err;
  });
  return {
    ...server,
    // In order: no new requests, then the read workers close their connections; the caller then
    // closes the runtime (the engine, then the database).
    close: async () => {
      unlisten();
      streams.close();
      await server.close();
      await reads.close();
      loopDelay.stop();
    },
  };
}
