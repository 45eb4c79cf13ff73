/**
 * The gap ledger of one series as a commit of windows reads and rewrites it. Each window looks at
 * the holes touching it and replaces them with what it showed; a commit of several consecutive
 * windows can read the holes of its whole range once and keep them up to date itself, one query per
 * commit instead of one per window (on PostgreSQL each is a round trip the commit waits for).
 */
import type { Store } from '../store/store.js';
import type { LedgerHole, Range } from '../store/hole-store.js';
import type { Hole } from '../../shared/domain.js';

export interface LedgerView {
  /** Holes that overlap or touch [from, to). */
  touching(from: number, to: number): Hole[];
  /** Replace the holes with ids `removeIds` by `holes`. */
  replace(removeIds: number[], holes: LedgerHole[], now: number): void;
}

/** The ledger as the store has it, asked each time. */
export function storeLedger(store: Store, seriesId: number): LedgerView {
  return {
    touching: (from, to) => store.holes.touching(seriesId, from, to),
    replace: (removeIds, holes, now) => void store.holes.replace(seriesId, removeIds, holes, now),
  };
}

/**
 * The ledger over `range`, read once. Only for windows inside `range`, inside the transaction that
 * writes them: every hole touching such a window touches `range`, and the only changes to them
 * meanwhile are the windows' own, made through this view.
 */
export function rangeLedger(store: Store, seriesId: number, range: Range): LedgerView {
  let holes = store.holes.touching(seriesId, range.from, range.to);
  return {
    touching(from, to) {
      if (from < range.from || to > range.to) throw new Error('a window outside the range the ledger was read for');
      return holes.filter((h) => h.fromTs <= to && h.toTs >= from);
    },
    replace(removeIds, added, now) {
      const kept = holes.filter((h) => !removeIds.includes(h.id));
      holes = [...kept, ...store.holes.replace(seriesId, removeIds, added, now)].sort((a, b) => a.fromTs - b.fromTs);
    },
  };
}
