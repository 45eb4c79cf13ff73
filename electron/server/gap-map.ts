/**
 * A series' coverage over a range, bucketed on the server (at most one cell per pixel the strip has):
 * for each bucket, how its expected candles split into stored, open holes, confirmed empty, market
 * closed, rejected and not yet fetched. Counting is one indexed range COUNT per bucket plus the
 * ledger's holes, so years of 1m data stay fast (no rows come into JS, nothing is sorted).
 */
import type { Store } from '../store/store.js';
import type { CoverageState, GapMapBucket, GapMapResult } from '../../shared/contract.js';
import type { Hole, Series } from '../../shared/domain.js';
import { candleCount, timeframeMs } from '../../shared/timeframe.js';
import { bucketWidth } from './chart-buckets.js';

/** Worst first: the state that colours a cell is the worst one present in it. */
const SEVERITY: CoverageState[] = ['rejected', 'open', 'unknown', 'confirmed_empty', 'market_closed', 'stored'];

function overlapSlots(series: Series, hole: Hole, from: number, to: number): number {
  const a = Math.max(hole.fromTs, from);
  const b = Math.min(hole.toTs, to);
  return b > a ? candleCount(series.timeframe, a, b) : 0;
}

export function gapMap(
  store: Store,
  series: Series,
  from: number,
  to: number,
  maxBuckets: number,
  liveEdge: number,
): GapMapResult {
  const { bucketMs, origin } = bucketWidth(timeframeMs(series.timeframe), from, to, maxBuckets);
  // better-sqlite3 binds JS numbers as REAL: the casts keep the bucket index an integer division.
  const holes = store.holes.overlapping(series.id, from, to);
  const buckets: GapMapBucket[] = [];
  for (let start = origin; start < to; start += bucketMs) {
    const lo = Math.max(start, from, series.startTs);
    const hi = Math.min(start + bucketMs, to, liveEdge);
    const expected = hi > lo ? candleCount(series.timeframe, lo, hi) : 0;
    const cell: GapMapBucket = {
      from: start,
      to: start + bucketMs,
      expected,
      stored: store.candles.count(series.id, Math.max(start, from), Math.min(start + bucketMs, to)),
      open: 0,
      confirmedEmpty: 0,
      marketClosed: 0,
      rejected: 0,
      unknown: 0,
      state: 'stored',
      causes: [],
    };
    for (const hole of holes) {
      const slots = hi > lo ? overlapSlots(series, hole, lo, hi) : 0;
      // History queued and not fetched yet is drawn as not fetched (what the cell's "unknown" counts).
      if (!slots || hole.cause === 'not_fetched') continue;
      if (hole.cause === 'rejected') cell.rejected += slots;
      else if (hole.state === 'open') cell.open += slots;
      else if (hole.state === 'confirmed_empty') cell.confirmedEmpty += slots;
      else cell.marketClosed += slots;
      if (!cell.causes.includes(hole.cause)) cell.causes.push(hole.cause);
    }
    cell.unknown = Math.max(
      0,
      expected - cell.stored - cell.open - cell.confirmedEmpty - cell.marketClosed - cell.rejected,
    );
    const present: Record<CoverageState, number> = {
      rejected: cell.rejected,
      open: cell.open,
      unknown: cell.unknown,
      confirmed_empty: cell.confirmedEmpty,
      market_closed: cell.marketClosed,
      stored: cell.stored,
    };
    cell.state = SEVERITY.find((s) => present[s] > 0) ?? 'unknown';
    buckets.push(cell);
  }
  return { seriesId: series.id, from, to, bucketMs, buckets };
}
