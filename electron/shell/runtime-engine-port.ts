/**
 * TEMPORARY: the EnginePort built from today's runtime, until the engine implements the port itself
 * (then replace `runtimeEnginePort` in electron/main.ts; nothing else in the shell changes).
 *
 * - run state, pause/resume, catch-up, start/stop: delegated to runtime.engine when present;
 * - health: from the per-source circuit breakers (none open: ok; some: degraded; all: down);
 * - counts: store.series.summaries() (enabled series; up to date when the last closed candle is
 *   stored; open holes from the ledger), recounted on bus events (debounced) and every minute;
 * - alerts: 'event:recorded' events of kind 'alert' or 'ban' become EngineAlerts.
 * Structural types for engine and network keep this adapter from breaking on their internals.
 */
import type { Store } from '../store/store.js';
import type { EventBus } from '../server/event-bus.js';
import type { Clock } from '../engine/clock.js';
import { lastClosedOpen } from '../../shared/timeframe.js';
import type { SeriesSummary } from '../../shared/domain.js';
import type { EngineAlert, EngineHealth, EnginePort, EngineStatus } from './engine-port.js';

/** What the adapter uses of electron/engine/engine.ts. */
export interface EngineControls {
  readonly currentState: 'stopped' | 'running' | 'paused';
  start(): Promise<void>;
  stop(): Promise<void>;
  pause(): void;
  resume(): void;
  catchUp(reason: string): void;
}

/** What the adapter uses of electron/engine/network.ts. */
export interface NetworkHealth {
  snapshot(): Array<{ breaker: { kind: string } }>;
}

export interface RuntimeEnginePortOptions {
  runtime: {
    store: Pick<Store, 'series'>;
    events: EventBus;
    clock: Clock;
    engine?: EngineControls;
    network?: NetworkHealth;
    /** The whole runtime's start (engine and alert loop), when there is one: see `start` below. */
    start?(): Promise<void>;
  };
  /** Writes come in bursts during a backfill: recount at most this often. */
  debounceMs?: number;
  /** Series go stale with time alone, so recount at least this often. */
  refreshMs?: number;
}

export function healthFromBreakers(network: NetworkHealth | undefined): EngineHealth {
  const sources = network?.snapshot() ?? [];
  const tripped = sources.filter((s) => s.breaker.kind !== 'closed').length;
  if (tripped === 0) return 'ok';
  return tripped === sources.length ? 'down' : 'degraded';
}

export function countSeries(summaries: SeriesSummary[], now: number): Pick<EngineStatus, 'seriesUpToDate' | 'seriesTotal' | 'openHoles'> {
  const enabled = summaries.filter((s) => s.enabled);
  return {
    seriesUpToDate: enabled.filter((s) => s.lastTs !== null && s.lastTs >= lastClosedOpen(s.timeframe, now)).length,
    seriesTotal: enabled.length,
    openHoles: enabled.reduce((sum, s) => sum + s.openHoles, 0),
  };
}

const sameStatus = (a: EngineStatus, b: EngineStatus): boolean =>
  a.state === b.state && a.health === b.health && a.seriesUpToDate === b.seriesUpToDate &&
  a.seriesTotal === b.seriesTotal && a.openHoles === b.openHoles;

function alertFrom(payload: unknown): EngineAlert | null {
  const event = (payload as { event?: Record<string, unknown> } | null)?.event;
  if (!event || typeof event.id !== 'number' || typeof event.message !== 'string') return null;
  if (event.kind !== 'alert' && event.kind !== 'ban') return null;
  const severity = event.severity === 'error' || event.severity === 'warning' ? event.severity : 'info';
  const source = typeof event.source === 'string' ? event.source : null;
  const title = event.kind === 'ban' ? `${source ?? 'A source'} banned this IP` : `Candlekeep: ${source ?? 'alert'}`;
  // Alert rules record the page that explains them in data.page ('series/3', 'settings') and no
  // seriesId, so reading only seriesId sent every notification click to the overview.
  const data = event.data as { page?: unknown } | null | undefined;
  const page = typeof data?.page === 'string' ? data.page : typeof event.seriesId === 'number' ? `series/${event.seriesId}` : 'overview';
  return { id: `event-${event.id}`, severity, title, message: event.message, page };
}

export function runtimeEnginePort(options: RuntimeEnginePortOptions): EnginePort {
  const { runtime } = options;
  const debounceMs = options.debounceMs ?? 1_000;
  const refreshMs = options.refreshMs ?? 60_000;
  const statusListeners = new Set<(s: EngineStatus) => void>();
  const alertListeners = new Set<(a: EngineAlert) => void>();
  let debounce: ReturnType<typeof setTimeout> | undefined;
  let refresh: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const read = (): EngineStatus => ({
    // A stopped engine does nothing, like a paused one: the tray offers "Resume all" for both.
    state: runtime.engine && runtime.engine.currentState !== 'running' ? 'paused' : 'running',
    health: healthFromBreakers(runtime.network),
    ...countSeries(runtime.store.series.summaries(), runtime.clock.now()),
  });
  let current = read();

  const recount = (): void => {
    clearTimeout(debounce);
    debounce = undefined;
    if (stopped) return;
    let next: EngineStatus;
    try {
      next = read();
    } catch {
      return; // the database is closing; nothing left to show
    }
    if (sameStatus(next, current)) return;
    current = next;
    for (const listener of statusListeners) listener(current);
  };
  const schedule = (): void => {
    if (!stopped && debounce === undefined) debounce = setTimeout(recount, debounceMs);
  };
  // Re-arming timer, never setInterval (docs/ARCHITECTURE.md "Conventions"): a slow tick cannot pile up.
  const arm = (): void => {
    refresh = setTimeout(() => {
      recount();
      if (!stopped) arm();
    }, refreshMs);
  };
  arm();

  const unsubscribe = runtime.events.subscribe((e) => {
    const name = e.event as string;
    if (name === 'event:recorded') {
      const alert = alertFrom(e.payload);
      if (alert) for (const listener of alertListeners) listener(alert);
    }
    // Pause/resume is a click in the tray: show it at once, not a second later.
    if (name === 'engine:state') recount();
    else schedule();
  });

  return {
    // runtime.start() also starts the alert rules' loop; starting only the engine left the desktop
    // app without stale/down/hole alerts, hence without their notifications (alert-notifier.test.ts).
    start: async () => (runtime.start ? runtime.start() : runtime.engine?.start()),
    status: () => current,
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    pauseAll: () => runtime.engine?.pause(),
    resumeAll: () => {
      if (runtime.engine?.currentState === 'stopped') void runtime.engine.start();
      else runtime.engine?.resume();
    },
    catchUp: (reason) => {
      runtime.engine?.catchUp(reason);
      schedule();
    },
    onAlert(listener) {
      alertListeners.add(listener);
      return () => alertListeners.delete(listener);
    },
    async stop() {
      stopped = true;
      clearTimeout(debounce);
      clearTimeout(refresh);
      unsubscribe();
      statusListeners.clear();
      alertListeners.clear();
      await runtime.engine?.stop();
    },
  };
}
