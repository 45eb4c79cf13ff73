/**
 * What a series needs next, derived from the database alone (so a restart resumes exactly): the tail
 * (closed candles after the last stored one, up to the live edge), repairs (open holes that are due)
 * and history (missing ranges back to the keep-from date that are not holes, and history planned
 * before and still not fetched).
 */
import type { Store } from '../store/store.js';
import type { Source } from '../sources/source.js';
import type { Hole, Series } from '../../shared/domain.js';
import { missingRanges } from './coverage.js';
import { mergeRanges, subtractRanges, type Range } from './hole-ledger.js';
import { sweepSeries } from './gap-sweep.js';
import { earliestServed } from '../sources/capabilities.js';
import { lastClosedOpen, nextOpen } from '../../shared/timeframe.js';

export interface TailTiming {
  /** Wait after a candle closes before asking for it: sources publish a moment later. */
  delayMs: number;
  /** Extra per-series delay, up to this, so a hundred series do not fire at once. */
  jitterMs: number;
}

export const DEFAULT_TAIL_TIMING: TailTiming = { delayMs: 2_000, jitterMs: 5_000 };

/** This series' own fixed delay after a close (deterministic jitter). */
export function tailDelay(series: Series, timing: TailTiming): number {
  const spread = (Math.imul(series.id, 0x9e3779b1) >>> 0) / 2 ** 32;
  return timing.delayMs + Math.floor(spread * timing.jitterMs);
}

/** Exclusive end of the candles the series should have at `now`. */
export function liveEdge(series: Series, now: number, timing: TailTiming): number {
  return nextOpen(series.timeframe, lastClosedOpen(series.timeframe, now - tailDelay(series, timing)));
}

/** When the live edge of the series next moves forward. */
export function nextTailAt(series: Series, now: number, timing: TailTiming): number {
  const edge = liveEdge(series, now, timing);
  return nextOpen(series.timeframe, edge) + tailDelay(series, timing);
}

/**
 * Where the tail starts: after the last stored candle and any ledger entries right after it (settled
 * holes, and open ones: those are repaired on their own schedule, while the tail goes on), or the
 * most recent window if nothing is stored.
 */
export function tailStart(store: Store, source: Source, series: Series, edge: number): number {
  const last = store.candles.lastBefore(series.id, edge);
  if (last === null || last < series.startTs) {
    const windows = source.windows(series.timeframe, series.startTs, edge);
    // What that window already showed (a closed market until now) is not asked again every tick.
    return afterLedger(store, series, windows.length ? windows[windows.length - 1]!.from : series.startTs, edge);
  }
  return afterLedger(store, series, nextOpen(series.timeframe, last), edge);
}

/** Skip forward over ledger entries (any state) that begin at `from`, one after another. */
export function afterLedger(store: Store, series: Series, from: number, edge: number): number {
  return skipHoles(store, series, from, edge, () => true);
}

/** Skip forward over settled holes (market closed, confirmed empty) that begin at `from`. */
export function afterSettled(store: Store, series: Series, from: number, edge: number): number {
  return skipHoles(store, series, from, edge, (hole) => hole.state !== 'open');
}

function skipHoles(store: Store, series: Series, from: number, edge: number, skips: (hole: Hole) => boolean): number {
  let at = from;
  for (const hole of store.holes.overlapping(series.id, at, edge)) {
    if (!skips(hole) || hole.fromTs > at) break;
    at = Math.max(at, hole.toTs);
  }
  return at;
}

/** Closed candles after the last stored one, up to the live edge (null: up to date). */
export function planTail(store: Store, source: Source, series: Series, now: number, timing: TailTiming): Range | null {
  const edge = liveEdge(series, now, timing);
  if (edge <= series.startTs) return null;
  const from = Math.max(series.startTs, tailStart(store, source, series, edge));
  return from < edge ? { from, to: edge } : null;
}

/**
 * History still to fetch before the tail: the range before the first stored candle and interior
 * ranges neither stored nor in the ledger (found by counting over the primary key, see gap-sweep.ts).
 */
export async function planHistory(
  store: Store,
  source: Source,
  series: Series,
  now: number,
  timing: TailTiming,
): Promise<Range[]> {
  const edge = liveEdge(series, now, timing);
  const until = Math.min(edge, tailStart(store, source, series, edge));
  // Not further back than the source reaches (a long-running series' keep-from drifts out of it).
  const start = Math.max(series.startTs, earliestServed(source.capabilities, series.timeframe, now) ?? series.startTs);
  if (until <= start) return [];
  const first = store.candles.firstAtOrAfter(series.id, start, until);
  const leading = missingRanges(store, series.id, series.timeframe, start, first ?? until).filter(
    (r) => r.to <= (first ?? until),
  );
  const interior = await sweepSeries(store, series, { from: start, to: until });
  // Ranges in the ledger are repairs' (with their own schedule), except history still queued.
  const ledger = store.holes.overlapping(series.id, start, until).map((h) => ({ from: h.fromTs, to: h.toTs }));
  return mergeRanges([
    ...subtractRanges([...leading, ...interior], ledger),
    ...store.holes.notFetched(series.id, start, until),
  ]);
}
