/**
 * What a front (a WebSocket, the Electron window) is pushed: every event at once, except a job's
 * progress, a series' stored candles and its forming candle, which go at most once per interval each. A backfill reports
 * dozens of windows a second; forwarding each one re-rendered the dashboard faster than a busy
 * machine could paint it, and a click on the queue then waited tens of seconds. Nothing is lost:
 * a held progress is replaced by the newer one, held stored counts are summed, and a job's change
 * of state (paused, done, failed…) is never held — it goes at once, replacing any held progress.
 * The engine's own subscribers (alerts, tray, metrics) read the bus directly and see every event.
 */
import type { EventMap } from '../../shared/contract.js';
import type { JobState } from '../../shared/domain.js';
import type { AnyEvent, EventBus } from '../../shared/event-bus.js';

/** Four updates a second per job is what a progress bar needs to look live. */
export const PUSH_INTERVAL_MS = 250;

const ENDED: ReadonlySet<JobState> = new Set(['done', 'failed', 'cancelled']);

type Stored = EventMap['candles:stored'];

function mergeStored(a: Stored, b: Stored): Stored {
  const lastTs = a.lastTs === null ? b.lastTs : b.lastTs === null ? a.lastTs : Math.max(a.lastTs, b.lastTs);
  return { seriesId: b.seriesId, count: a.count + b.count, lastTs };
}

export interface PacerOptions {
  intervalMs?: number;
  now?: () => number;
}

/** Subscribes `listener` to `events`, paced as above; returns the unsubscribe function. */
export function subscribePaced(
  events: EventBus,
  listener: (e: AnyEvent) => void,
  options: PacerOptions = {},
): () => void {
  const interval = options.intervalMs ?? PUSH_INTERVAL_MS;
  const now = options.now ?? Date.now;
  /** When each key ('job:<id>', 'stored:<series>') was last forwarded. */
  const sentAt = new Map<string, number>();
  const jobState = new Map<string, JobState>();
  const held = new Map<string, AnyEvent>();
  let timer: ReturnType<typeof setTimeout> | null = null;

  const send = (key: string, e: AnyEvent): void => {
    held.delete(key);
    sentAt.set(key, now());
    listener(e);
  };

  const flush = (): void => {
    timer = null;
    for (const [key, e] of [...held]) send(key, e);
  };

  const hold = (key: string, e: AnyEvent): void => {
    held.set(key, e);
    if (!timer) timer = setTimeout(flush, interval);
  };

  const due = (key: string): boolean => !held.has(key) && now() - (sentAt.get(key) ?? -Infinity) >= interval;

  const onJob = (e: AnyEvent & { event: 'job:progress' }): void => {
    const { job } = e.payload;
    const key = `job:${job.id}`;
    const changed = jobState.get(job.id) !== job.state;
    jobState.set(job.id, job.state);
    if (changed || due(key)) send(key, e);
    else hold(key, e);
    // An ended job reports no more: forget it, so a daemon running for months keeps no trail.
    if (ENDED.has(job.state)) {
      jobState.delete(job.id);
      sentAt.delete(key);
    }
  };

  const onStored = (e: AnyEvent & { event: 'candles:stored' }): void => {
    const key = `stored:${e.payload.seriesId}`;
    const waiting = held.get(key) as (AnyEvent & { event: 'candles:stored' }) | undefined;
    const merged: AnyEvent = waiting
      ? { event: 'candles:stored', payload: mergeStored(waiting.payload, e.payload) }
      : e;
    if (due(key)) send(key, merged);
    else hold(key, merged);
  };

  // A forming candle is news only as its latest value: the newest one per series goes, once per interval.
  const onForming = (e: AnyEvent & { event: 'candles:forming' }): void => {
    const key = `forming:${e.payload.seriesId}`;
    if (due(key)) send(key, e);
    else hold(key, e);
  };

  const unsubscribe = events.subscribe((e) => {
    if (e.event === 'job:progress') onJob(e);
    else if (e.event === 'candles:stored') onStored(e);
    else if (e.event === 'candles:forming') onForming(e);
    else listener(e);
  });
  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
    timer = null;
    held.clear();
  };
}
