/**
 * The periodic full sweep of a series for holes the ledger does not know (rows lost, a crash between
 * windows, a bug): done in SQL over the primary key without bringing rows into JS. Each chunk's
 * COUNT(*) is compared with the open times it should hold minus the ledger's holes; only chunks that
 * disagree are split further, and only small ones are walked for the exact gaps. On a healthy series
 * that is one pass of index counting, an order of magnitude cheaper than reading the rows.
 */
import type { Store } from '../store/store.js';
import { mergeRanges, observeWindow, subtractRanges, unlookedHole, type Range } from './hole-ledger.js';
import { toLedgerHole } from '../store/hole-store.js';
import { storedGaps } from './coverage.js';
import { yieldToEventLoop } from './window-commit.js';
import type { Series } from '../../shared/domain.js';
import { timeframeMs } from '../../shared/timeframe.js';

/** Chunks at most this many open times long are walked for exact gaps. */
const LEAF_SLOTS = 1_024;
/** How many parts a disagreeing chunk is split into. */
const FAN_OUT = 16;
/**
 * Larger ranges are split before counting: one COUNT over more rows would block the event loop, and
 * small chunks keep the recount of a chunk that holds a hole cheap.
 */
const MAX_COUNTED_SLOTS = 16_384;

function slotsCovered(holes: Range[], lo: number, hi: number, step: number): number {
  let slots = 0;
  for (const h of holes) {
    const from = Math.max(h.from, lo);
    const to = Math.min(h.to, hi);
    if (to > from) slots += Math.ceil((to - from) / step);
  }
  return slots;
}

/**
 * Ranges inside [first stored, last stored] of `series` (within `bounds` if given) that hold no
 * candle and no ledger hole. Leading and trailing ranges are backfill and tail work, not holes.
 */
export async function sweepSeries(store: Store, series: Series, bounds?: Range): Promise<Range[]> {
  const lo = bounds?.from ?? Number.MIN_SAFE_INTEGER;
  const hi = bounds?.to ?? Number.MAX_SAFE_INTEGER;
  const firstTs = store.candles.firstAtOrAfter(series.id, lo, hi);
  const lastTs = store.candles.lastBeforeIn(series.id, lo, hi);
  if (firstTs === null || lastTs === null) return [];
  const step = timeframeMs(series.timeframe);
  const end = lastTs + step;
  const ledger = store.holes.overlapping(series.id, firstTs, end).map((h) => ({ from: h.fromTs, to: h.toTs }));
  if (series.timeframe === '1M')
    return subtractRanges(storedGaps(store, series.id, series.timeframe, firstTs, end), ledger);

  const found: Range[] = [];
  let queries = 0;
  const check = async (lo: number, hi: number): Promise<void> => {
    const slots = (hi - lo) / step;
    if (slots > MAX_COUNTED_SLOTS) {
      const part = MAX_COUNTED_SLOTS * step;
      for (let from = lo; from < hi; from += part) await check(from, Math.min(hi, from + part));
      return;
    }
    if (++queries % 2 === 0) await yieldToEventLoop();
    const expected = (hi - lo) / step - slotsCovered(ledger, lo, hi, step);
    const count = store.candles.count(series.id, lo, hi);
    if (count === expected) return;
    if (count === 0) {
      found.push(...subtractRanges([{ from: lo, to: hi }], ledger));
      return;
    }
    if (slots <= LEAF_SLOTS) {
      found.push(...subtractRanges(storedGaps(store, series.id, series.timeframe, lo, hi), ledger));
      return;
    }
    const part = Math.ceil(slots / FAN_OUT) * step;
    for (let from = lo; from < hi; from += part) await check(from, Math.min(hi, from + part));
  };
  await check(firstTs, end);
  return mergeRanges(found);
}

/** Put the gaps a sweep found into the ledger as open holes, due now (cause `missing`), in one transaction. */
export function recordSweptGaps(store: Store, series: Series, gaps: Range[], now: number): void {
  store.transaction(() => {
    for (const gap of gaps) {
      const existing = store.holes.overlapping(series.id, gap.from, gap.to);
      const next = observeWindow(existing.map(toLedgerHole), gap, [], now).concat(unlookedHole(gap, 'missing', now));
      store.holes.replace(
        series.id,
        existing.map((h) => h.id),
        next,
        now,
      );
    }
  });
}
