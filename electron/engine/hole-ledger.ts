/**
 * The gap ledger's state transitions as pure functions (DESIGN.md "Pure state transitions"):
 * given the holes that overlap a window and what one fresh look at that window showed, compute the
 * holes that replace them. A hole seen empty twice is confirmed_empty; a range that now has candles
 * is no longer a hole; parts of old holes outside the window are kept as they were.
 */
import type { HoleCause, HoleState } from '../../shared/domain.js';

export interface Range {
  from: number;
  to: number;
}

export interface LedgerHole extends Range {
  state: HoleState;
  cause: HoleCause;
  attempts: number;
  nextAttemptTs: number | null;
  lastError: string | null;
}

export interface ObservedGap extends Range {
  cause: HoleCause;
}

/** How many empty looks make a hole confirmed_empty (DESIGN.md: "only after it is seen again"). */
export const CONFIRMATIONS_NEEDED = 2;

const overlaps = (a: Range, b: Range): boolean => a.from < b.to && b.from < a.to;

/** Parts of `hole` outside `window`, with the hole's attributes. */
function outside(hole: LedgerHole, window: Range): LedgerHole[] {
  const parts: LedgerHole[] = [];
  if (hole.from < window.from) parts.push({ ...hole, to: Math.min(hole.to, window.from) });
  if (hole.to > window.to) parts.push({ ...hole, from: Math.max(hole.from, window.to) });
  return parts;
}

/** Merge touching or overlapping holes that have the same state and cause. */
export function mergeHoles(holes: LedgerHole[]): LedgerHole[] {
  const sorted = [...holes].sort((a, b) => a.from - b.from);
  const out: LedgerHole[] = [];
  for (const h of sorted) {
    const last = out[out.length - 1];
    if (last && last.to >= h.from && last.state === h.state && last.cause === h.cause) {
      last.to = Math.max(last.to, h.to);
      last.attempts = Math.max(last.attempts, h.attempts);
      last.lastError = h.lastError ?? last.lastError;
    } else out.push({ ...h });
  }
  return out;
}

/**
 * The ledger after observing `window`: `existing` are all holes overlapping it, `gaps` the ranges in
 * it that the source returned no candles for.
 */
export function observeWindow(existing: LedgerHole[], window: Range, gaps: ObservedGap[], now: number): LedgerHole[] {
  const result: LedgerHole[] = existing.flatMap((h) => outside(h, window));
  for (const gap of gaps) {
    const prior = existing.filter((h) => overlaps(h, gap));
    const attempts = 1 + Math.max(0, ...prior.map((h) => h.attempts));
    const confirmed = attempts >= CONFIRMATIONS_NEEDED || prior.some((h) => h.state === 'confirmed_empty' && h.from <= gap.from && h.to >= gap.to);
    result.push({
      from: gap.from,
      to: gap.to,
      state: confirmed ? 'confirmed_empty' : 'open',
      cause: gap.cause,
      attempts,
      nextAttemptTs: confirmed ? null : now,
      lastError: null,
    });
  }
  return mergeHoles(result);
}

/** Subtract `cut` ranges from `ranges` (both sorted or not); returns sorted, non-empty ranges. */
export function subtractRanges(ranges: Range[], cut: Range[]): Range[] {
  let out = [...ranges].sort((a, b) => a.from - b.from);
  for (const c of cut) {
    out = out.flatMap((r) => {
      if (!overlaps(r, c)) return [r];
      const parts: Range[] = [];
      if (r.from < c.from) parts.push({ from: r.from, to: c.from });
      if (r.to > c.to) parts.push({ from: c.to, to: r.to });
      return parts;
    });
  }
  return out;
}
