/**
 * The desktop shell's EnginePort over a runtime: run state, pause/resume, catch-up, start/stop go to
 * the engine; the status (health, series up to date, open holes) is the HealthService's own status,
 * the same one the dashboard, the window title, /readyz and the alert rules read, so the tray never
 * tells a different story. Recounted on bus events (debounced) and every minute; 'event:recorded'
 * events of kind 'alert' or 'ban' become EngineAlerts. Structural types keep the shell from
 * depending on the engine's internals.
 */
import type { EventBus } from '../../shared/event-bus.js';
import type { EngineStatusView } from '../../shared/health.js';
import type { EngineAlert, EnginePort, EngineStatus } from './engine-port.js';

/** What the port uses of electron/engine/engine.ts. */
export interface EngineControls {
  readonly currentState: 'stopped' | 'running' | 'paused';
  start(): Promise<void>;
  stop(): Promise<void>;
  pause(): void;
  resume(): void;
  catchUp(reason: string): void;
}

/** What the port reads health from: electron/health/health-service.ts and the active alerts. */
export interface HealthSource {
  status(activeAlerts: number): Pick<EngineStatusView, 'health' | 'seriesUpToDate' | 'seriesTotal' | 'openHoles'>;
}

export interface EngineStatusPortOptions {
  runtime: {
    events: EventBus;
    health: HealthSource;
    alerts: { list(): unknown[] };
    engine?: EngineControls;
    /** The whole runtime's start (engine and alert loop), when there is one: see `start` below. */
    start?(): Promise<void>;
  };
  /** Writes come in bursts during a backfill: recount at most this often. */
  debounceMs?: number;
  /** Series go stale with time alone, so recount at least this often. */
  refreshMs?: number;
}

const sameStatus = (a: EngineStatus, b: EngineStatus): boolean =>
  a.state === b.state &&
  a.health === b.health &&
  a.seriesUpToDate === b.seriesUpToDate &&
  a.seriesTotal === b.seriesTotal &&
  a.openHoles === b.openHoles;

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
  const page =
    typeof data?.page === 'string'
      ? data.page
      : typeof event.seriesId === 'number'
        ? `series/${event.seriesId}`
        : 'overview';
  return { id: `event-${event.id}`, severity, title, message: event.message, page };
}

export function engineStatusPort(options: EngineStatusPortOptions): EnginePort {
  const { runtime } = options;
  const debounceMs = options.debounceMs ?? 1_000;
  const refreshMs = options.refreshMs ?? 60_000;
  const statusListeners = new Set<(s: EngineStatus) => void>();
  const alertListeners = new Set<(a: EngineAlert) => void>();
  let debounce: ReturnType<typeof setTimeout> | undefined;
  let refresh: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const read = (): EngineStatus => {
    const { health, seriesUpToDate, seriesTotal, openHoles } = runtime.health.status(runtime.alerts.list().length);
    // A stopped engine does nothing, like a paused one: the tray offers "Resume all" for both.
    return {
      state: runtime.engine && runtime.engine.currentState !== 'running' ? 'paused' : 'running',
      health,
      seriesUpToDate,
      seriesTotal,
      openHoles,
    };
  };
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
