/**
 * Candles that arrive by another path than a fetched window (an import) may fill holes in the ledger;
 * each hole overlapping the range is cut down to the parts that still have no candle.
 */
import type { Store } from '../store/store.js';
import { storedGaps } from './coverage.js';
import { mergeHoles, type LedgerHole } from './hole-ledger.js';
import { toLedgerHole } from '../store/hole-store.js';
import type { Series } from '../../shared/domain.js';

/** Call inside the transaction that stored the candles. */
export function reconcileLedger(store: Store, series: Series, from: number, to: number, now: number): void {
  const holes = store.holes.overlapping(series.id, from, to);
  if (!holes.length) return;
  const next: LedgerHole[] = holes.flatMap((hole) =>
    storedGaps(store, series.id, series.timeframe, hole.fromTs, hole.toTs).map((gap) => ({
      ...toLedgerHole(hole),
      from: gap.from,
      to: gap.to,
    })),
  );
  store.holes.replace(
    series.id,
    holes.map((h) => h.id),
    mergeHoles(next),
    now,
  );
}
