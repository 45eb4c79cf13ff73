/**
 * TEMPORARY: an EnginePort built from today's runtime (store + event bus), until the scheduler with
 * pause/resume, health and alerts lands and implements the port itself. Replace the call to
 * `runtimeEnginePort` in electron/main.ts with the real engine; nothing else in the shell changes.
 *
 * What it can and cannot tell today:
 * - state is always 'running' and health always 'ok': there is no scheduler to pause or to judge;
 *   pauseAll/resumeAll/catchUp are accepted and ignored.
 * - counts are real: read from store.series.summaries() (enabled series, up to date when the last
 *   closed candle is stored; open holes from the ledger).
 * - alerts: events recorded with kind 'alert' or 'ban' on the bus (when the engine emits
 *   'event:recorded') become EngineAlerts, so notifications work as soon as the engine records them.
 */
import type { Runtime } from '../runtime.js';
import { lastClosedOpen } from '../../shared/timeframe.js';
import type { SeriesSummary } from '../../shared/domain.js';
import type { EngineAlert, EnginePort, EngineStatus } from './engine-port.js';

export interface RuntimeEnginePortOptions {
  runtime: Pick<Runtime, 'store' | 'events' | 'clock'>;
  /** Writes come in bursts during a backfill: recount at most this often. */
  debounceMs?: number;
  /** Series go stale with time alone, so recount at least this often. */
  refreshMs?: number;
}

export function statusFromSummaries(summaries: SeriesSummary[], now: number): EngineStatus {
  const enabled = summaries.filter((s) => s.enabled);
  const upToDate = enabled.filter((s) => s.lastTs !== null && s.lastTs >= lastClosedOpen(s.timeframe, now)).length;
  const openHoles = enabled.reduce((sum, s) => sum + s.openHoles, 0);
  return { state: 'running', health: 'ok', seriesUpToDate: upToDate, seriesTotal: enabled.length, openHoles };
}

const sameStatus = (a: EngineStatus, b: EngineStatus): boolean =>
  a.state === b.state && a.health === b.health && a.seriesUpToDate === b.seriesUpToDate &&
  a.seriesTotal === b.seriesTotal && a.openHoles === b.openHoles;

/** Loose view of the engine's 'event:recorded' payload; checked at runtime since it crosses modules. */
interface RecordedEvent {
  id: number;
  kind: string;
  severity: string;
  seriesId: number | null;
  source: string | null;
  message: string;
}

function alertFrom(payload: unknown): EngineAlert | null {
  const event = (payload as { event?: Partial<RecordedEvent> } | null)?.event;
  if (!event || typeof event.id !== 'number' || typeof event.message !== 'string') return null;
  if (event.kind !== 'alert' && event.kind !== 'ban') return null;
  const severity = event.severity === 'error' || event.severity === 'warning' ? event.severity : 'info';
  const title = event.kind === 'ban' ? `Candlekeep: ${event.source ?? 'a source'} banned us` : `Candlekeep: ${event.source ?? 'alert'}`;
  const page = typeof event.seriesId === 'number' ? `series/${event.seriesId}` : 'overview';
  return { id: `event-${event.id}`, severity, title, message: event.message, page };
}

export function runtimeEnginePort(options: RuntimeEnginePortOptions): EnginePort {
  const { runtime } = options;
  const debounceMs = options.debounceMs ?? 1_000;
  const refreshMs = options.refreshMs ?? 60_000;
  const statusListeners = new Set<(s: EngineStatus) => void>();
  const alertListeners = new Set<(a: EngineAlert) => void>();
  let current = statusFromSummaries(runtime.store.series.summaries(), runtime.clock.now());
  let debounce: ReturnType<typeof setTimeout> | undefined;
  let refresh: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const recount = (): void => {
    debounce = undefined;
    if (stopped) return;
    let next: EngineStatus;
    try {
      next = statusFromSummaries(runtime.store.series.summaries(), runtime.clock.now());
    } catch {
      return; // the database is closing; the next tick (if any) tries again
    }
    if (sameStatus(next, current)) return;
    current = next;
    for (const listener of statusListeners) listener(current);
  };
  const schedule = (): void => {
    if (!stopped && debounce === undefined) debounce = setTimeout(recount, debounceMs);
  };
  // Re-arming timer, never setInterval (DESIGN.md "Loops re-arm themselves").
  const arm = (): void => {
    refresh = setTimeout(() => {
      recount();
      if (!stopped) arm();
    }, refreshMs);
  };
  arm();

  const unsubscribe = runtime.events.subscribe((e) => {
    if ((e.event as string) === 'event:recorded') {
      const alert = alertFrom(e.payload);
      if (alert) for (const listener of alertListeners) listener(alert);
    }
    schedule();
  });

  return {
    status: () => current,
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    pauseAll: () => undefined,
    resumeAll: () => undefined,
    catchUp: () => schedule(),
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
    },
  };
}
