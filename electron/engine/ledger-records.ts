/**
 * Ledger writes that are not a look at the source: a range planned for fetching, a request that
 * failed (engine/evidence.ts rule 2), a window another job has stored meanwhile. Each runs in one
 * transaction, so every range of a series stays accounted for (engine/ledger-verify.ts checks it).
 */
import type { Store } from '../store/store.js';
import { toLedgerHole } from '../store/hole-store.js';
import { storedGaps } from './coverage.js';
import { failedWindow, subtractRanges, unlookedHole, withoutRange, type Range } from './hole-ledger.js';
import type { Series } from '../../shared/domain.js';

/**
 * A request for `window` failed (evidence rule 2: no look): its ranges without candles, before the
 * live edge, become or stay open holes with the error, due again at `retryAt(attempts)`.
 */
export function recordFailedWindow(
  store: Store,
  series: Series,
  window: Range,
  liveEdge: number,
  error: string,
  now: number,
  retryAt: (attempts: number) => number,
): void {
  const to = Math.min(window.to, liveEdge);
  if (to <= window.from) return;
  store.transaction(() => {
    const missing = storedGaps(store, series.id, series.timeframe, window.from, to);
    if (!missing.length) return;
    const existing = store.holes.touching(series.id, window.from, to);
    store.holes.replace(
      series.id,
      existing.map((h) => h.id),
      failedWindow(existing.map(toLedgerHole), missing, error, now, retryAt),
      now,
    );
  });
}

/** A window found wholly stored (by another job meanwhile): no hole is left in it. */
export function recordStoredWindow(store: Store, series: Series, window: Range, now: number): void {
  store.transaction(() => {
    const existing = store.holes.overlapping(series.id, window.from, window.to);
    if (existing.length)
      store.holes.replace(
        series.id,
        existing.map((h) => h.id),
        withoutRange(existing.map(toLedgerHole), window),
        now,
      );
  });
}

/**
 * History about to be fetched: its ranges that neither hold candles nor are in the ledger become open
 * holes with cause not_fetched, so a crash, a stop or a failure never loses track of them.
 */
export function recordPlanned(store: Store, series: Series, ranges: Range[], now: number): void {
  if (!ranges.length) return;
  store.transaction(() => {
    const from = ranges[0]!.from;
    const to = ranges[ranges.length - 1]!.to;
    const known = store.holes.overlapping(series.id, from, to).map((h) => ({ from: h.fromTs, to: h.toTs }));
    // Planning reads the database over several turns of the event loop: what another job stored
    // meanwhile is not queued.
    const missing = ranges.flatMap((r) => storedGaps(store, series.id, series.timeframe, r.from, r.to));
    const fresh = subtractRanges(missing, known);
    if (fresh.length)
      store.holes.replace(
        series.id,
        [],
        fresh.map((r) => unlookedHole(r, 'not_fetched', null)),
        now,
      );
  });
}
