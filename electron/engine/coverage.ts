/**
 * What is missing from a series in a range: every expected open time that has neither a stored
 * candle nor a settled hole (confirmed empty, market closed). Derived from the database alone, so a
 * crash or restart resumes exactly (docs/ARCHITECTURE.md "Data model").
 */
import type { Store } from '../store/store.js';
import { subtractRanges, type Range } from './hole-ledger.js';
import { type Timeframe, nextOpen, timeframeMs, ceilToTimeframe } from '../../shared/timeframe.js';

/** Runs of missing open times between stored candles (SQL over the primary key for fixed timeframes). */
export function storedGaps(store: Store, seriesId: number, tf: Timeframe, from: number, to: number): Range[] {
  const first = store.candles.firstAtOrAfter(seriesId, from, to);
  if (first === null) return [{ from, to }];
  const last = store.candles.lastBeforeIn(seriesId, from, to)!;
  const gaps: Range[] = [];
  if (first > from) gaps.push({ from, to: first });
  if (tf === '1M') {
    let expected = first;
    for (const c of store.candles.iterate(seriesId, first, to)) {
      if (c.ts > expected) gaps.push({ from: expected, to: c.ts });
      expected = nextOpen(tf, c.ts);
    }
  } else {
    gaps.push(...store.candles.interiorGaps(seriesId, timeframeMs(tf), from, to));
  }
  const end = nextOpen(tf, last);
  if (end < to) gaps.push({ from: end, to });
  return gaps;
}

/** Ranges in [from, to) still to fetch for a series (null: a series not created yet). */
export function missingRanges(store: Store, seriesId: number | null, tf: Timeframe, from: number, to: number): Range[] {
  const start = ceilToTimeframe(tf, from);
  if (start >= to) return [];
  if (seriesId === null) return [{ from: start, to }];
  return subtractRanges(storedGaps(store, seriesId, tf, start, to), store.holes.settledRanges(seriesId, start, to));
}

/** Runs of expected open times in `window` with no candle in `timestamps` (sorted ascending). */
export function gapsInWindow(tf: Timeframe, window: Range, timestamps: ArrayLike<number>): Range[] {
  const gaps: Range[] = [];
  let expected = window.from;
  for (let i = 0; i < timestamps.length; i++) {
    const ts = timestamps[i]!;
    if (ts > expected) gaps.push({ from: expected, to: ts });
    expected = nextOpen(tf, ts);
  }
  if (expected < window.to) gaps.push({ from: expected, to: window.to });
  return gaps;
}
