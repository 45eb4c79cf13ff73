/**
 * When the engine's timer must next wake: the earliest of every enabled series' next tail, re-read,
 * due repair and end of backoff, and the next sweep. Read from the database each time, so a change
 * made elsewhere (a hole, a new series) is seen at the next tick.
 */
import { Cron } from 'croner';
import type { Store } from '../store/store.js';
import { nextTailAt, type TailTiming } from './series-planner.js';
import { nextRereadAt, type RevisionTiming } from './revisions.js';
import type { SeriesBackoff } from './series-backoff.js';

export interface WakeInputs {
  store: Store;
  tail: TailTiming;
  revision: RevisionTiming;
  backoff: SeriesBackoff;
  nextSweepAt: number;
  /** Series whose due holes are already being looked at (a repair job runs): its end plans the rest. */
  repairing?: (seriesId: number) => boolean;
  /** When a series' tail that came back short may ask again (engine/tail-looks.ts). */
  tailAgainAt?: (seriesId: number) => number | null;
}

export function nextWake(
  { store, tail, revision, backoff, nextSweepAt, repairing, tailAgainAt }: WakeInputs,
  now: number,
): number {
  let at = nextSweepAt;
  for (const series of store.series.list()) {
    if (!series.enabled) continue;
    at = Math.min(at, nextTailAt(series, now, tail), tailAgainAt?.(series.id) ?? Infinity);
    at = Math.min(at, nextRereadAt(store, series, now, tail, revision));
    // A backoff that has run out is nothing to wake for (it is kept until the next success).
    const backingOff = backoff.retryAt(series.id);
    const retryAt = backingOff !== null && backingOff > now ? backingOff : null;
    if (retryAt !== null) at = Math.min(at, retryAt);
    // A hole due while its series backs off, or while a repair of it runs, cannot be taken before
    // then: waking for it every second only spins the scheduler.
    if (repairing?.(series.id)) continue;
    const due = store.holes.nextDue(series.id);
    if (due !== null) at = Math.min(at, Math.max(due, retryAt ?? 0, now + 1_000));
  }
  return at;
}

/** The next run of a cron expression (UTC) after `now`; an hour on if it never runs again. */
export function nextCronRun(cron: string, now: number): number {
  const next = new Cron(cron, { timezone: 'UTC' }).nextRun(new Date(now));
  return next ? next.getTime() : now + 3_600_000;
}
