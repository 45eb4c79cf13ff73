/** Reading a gap map: which bucket is at a time, and totals over a range (pure, unit-tested). */
import type { GapMapBucket } from '../../../shared/contract';
import type { HoleCause } from '../../../shared/domain';

/** Index of the bucket containing `ts` (buckets ascending and contiguous), or -1. */
export function bucketIndexAt(buckets: GapMapBucket[], ts: number): number {
  let lo = 0;
  let hi = buckets.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = buckets[mid]!;
    if (ts < b.from) hi = mid - 1;
    else if (ts >= b.to) lo = mid + 1;
    else return mid;
  }
  return -1;
}

export interface CoverageTotals {
  expected: number;
  stored: number;
  open: number;
  unknown: number;
  confirmedEmpty: number;
  marketClosed: number;
  rejected: number;
}

export function coverageTotals(buckets: GapMapBucket[], from = -Infinity, to = Infinity): CoverageTotals {
  const t: CoverageTotals = {
    expected: 0,
    stored: 0,
    open: 0,
    unknown: 0,
    confirmedEmpty: 0,
    marketClosed: 0,
    rejected: 0,
  };
  for (const b of buckets) {
    if (b.to <= from || b.from >= to) continue;
    t.expected += b.expected;
    t.stored += b.stored;
    t.open += b.open;
    t.unknown += b.unknown;
    t.confirmedEmpty += b.confirmedEmpty;
    t.marketClosed += b.marketClosed;
    t.rejected += b.rejected;
  }
  return t;
}

/** Stored share of what the source could have had (explained gaps do not count against it). */
export function storedShare(t: CoverageTotals): number | null {
  const possible = t.expected - t.confirmedEmpty - t.marketClosed;
  return possible > 0 ? Math.min(1, t.stored / possible) : null;
}

export const CAUSE_TEXT: Record<HoleCause, string> = {
  source_gap: 'the source has no data here',
  before_listing: 'before the instrument was listed',
  missing: 'found missing by a sweep; repairing',
  fetch_failed: 'fetching failed; will retry',
  not_fetched: 'history queued; not fetched yet',
  rejected: 'candles failed validation (quarantined)',
  market_closed: 'market closed',
};

export function causeText(cause: string): string {
  return CAUSE_TEXT[cause as HoleCause] ?? cause;
}
