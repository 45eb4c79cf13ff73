/**
 * The gap ledger's state transitions as pure functions: given the holes that overlap a window and what
 * one answered look at that window showed, compute the holes that replace them. When a look counts
 * and when a hole is settled is decided by the evidence rules (engine/evidence.ts); parts of old holes
 * outside the window are kept as they were.
 */
import type { HoleCause } from '../../shared/domain.js';
import type { LedgerHole, Range } from '../store/hole-store.js';
import { DEFAULT_EVIDENCE, confirmsHole, lateLookAt, type EvidenceRules } from './evidence.js';

export type { LedgerHole, Range } from '../store/hole-store.js';

export interface ObservedGap extends Range {
  cause: HoleCause;
}

/** A ledger entry with no look behind it yet (a range to fetch, or one whose fetch failed). */
export function unlookedHole(
  range: Range,
  cause: HoleCause,
  nextAttemptTs: number | null,
  lastError: string | null = null,
  attempts = 0,
): LedgerHole {
  return {
    ...range,
    state: 'open',
    cause,
    attempts,
    nextAttemptTs,
    lastError,
    looks: 0,
    lookedAt: null,
    settledAt: null,
  };
}

const overlaps = (a: Range, b: Range): boolean => a.from < b.to && b.from < a.to;

/** Parts of `hole` outside `window`, with the hole's attributes. */
function outside(hole: LedgerHole, window: Range): LedgerHole[] {
  const parts: LedgerHole[] = [];
  if (hole.from < window.from) parts.push({ ...hole, to: Math.min(hole.to, window.from) });
  if (hole.to > window.to) parts.push({ ...hole, from: Math.max(hole.from, window.to) });
  return parts;
}

const later = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

/**
 * Merge touching or overlapping holes that have the same state and cause (and looks, when open). The merged hole
 * keeps the weaker evidence: its first look is the later one, so its second look waits for both.
 */
export function mergeHoles(holes: LedgerHole[]): LedgerHole[] {
  const sorted = [...holes].sort((a, b) => a.from - b.from);
  const out: LedgerHole[] = [];
  for (const h of sorted) {
    const last = out[out.length - 1];
    // Open holes merge only with the same evidence behind them; settled ones are settled alike.
    if (
      last &&
      last.to >= h.from &&
      last.state === h.state &&
      last.cause === h.cause &&
      (h.state !== 'open' || last.looks === h.looks)
    ) {
      last.looks = Math.min(last.looks, h.looks);
      last.to = Math.max(last.to, h.to);
      last.attempts = Math.max(last.attempts, h.attempts);
      last.lastError = h.lastError ?? last.lastError;
      last.lookedAt = later(last.lookedAt, h.lookedAt);
      last.settledAt = later(last.settledAt, h.settledAt);
      last.nextAttemptTs = later(last.nextAttemptTs, h.nextAttemptTs);
    } else out.push({ ...h });
  }
  return out;
}

/** `gap` cut along the holes it overlaps: each part with the hole covering it, or null where none does. */
function alongHoles(gap: Range, holes: LedgerHole[]): Array<{ part: Range; hole: LedgerHole | null }> {
  const parts: Array<{ part: Range; hole: LedgerHole | null }> = [];
  let at = gap.from;
  for (const hole of holes.filter((h) => overlaps(h, gap)).sort((a, b) => a.from - b.from)) {
    const from = Math.max(hole.from, gap.from);
    if (from < at) continue; // overlapping ledger entries: the first one speaks for the range
    if (from > at) parts.push({ part: { from: at, to: from }, hole: null });
    const to = Math.min(hole.to, gap.to);
    parts.push({ part: { from, to }, hole });
    at = to;
  }
  if (at < gap.to) parts.push({ part: { from: at, to: gap.to }, hole: null });
  return parts;
}

/** What one empty look through `window` makes of `part` of a hole (or of a range the ledger did not have). */
function lookedEmpty(
  part: Range,
  cause: HoleCause,
  hole: LedgerHole | null,
  window: Range,
  now: number,
  rules: EvidenceRules,
): LedgerHole {
  const attempts = (hole?.attempts ?? 0) + 1;
  if (hole?.state === 'market_closed') return { ...hole, ...part };
  if (hole?.state === 'confirmed_empty') {
    // Settled stays settled; a look at or after the late look's time is that late look.
    const lateDone = hole.nextAttemptTs !== null && now >= hole.nextAttemptTs;
    return {
      ...hole,
      ...part,
      cause,
      attempts,
      looks: hole.looks + 1,
      nextAttemptTs: lateDone ? null : hole.nextAttemptTs,
    };
  }
  if (hole && hole.looks >= 1) {
    if (confirmsHole(rules, hole, window, now)) {
      return {
        ...part,
        state: 'confirmed_empty',
        cause,
        attempts,
        nextAttemptTs: lateLookAt(rules, part, now),
        lastError: null,
        looks: hole.looks + 1,
        lookedAt: hole.lookedAt,
        settledAt: now,
      };
    }
    // Too soon, or not aimed at the hole: the first look stands and the second is still due.
    return {
      ...hole,
      ...part,
      cause,
      attempts,
      lastError: null,
      nextAttemptTs: hole.lookedAt! + rules.secondLookAfterMs,
    };
  }
  return {
    ...part,
    state: 'open',
    cause,
    attempts,
    nextAttemptTs: now + rules.secondLookAfterMs,
    lastError: null,
    looks: 1,
    lookedAt: now,
    settledAt: null,
  };
}

/**
 * The ledger after an answered look at `window`: `existing` are all holes touching it, `gaps` the
 * ranges in it the answer proved empty (engine/evidence.ts rule 1). Ranges of the window outside the
 * gaps now hold candles (or lie past the live edge) and are no longer holes.
 */
export function observeWindow(
  existing: LedgerHole[],
  window: Range,
  gaps: ObservedGap[],
  now: number,
  rules: EvidenceRules = DEFAULT_EVIDENCE,
): LedgerHole[] {
  const result: LedgerHole[] = existing.flatMap((h) => outside(h, window));
  for (const gap of gaps) {
    for (const { part, hole } of alongHoles(gap, existing))
      result.push(lookedEmpty(part, gap.cause, hole, window, now, rules));
  }
  return mergeHoles(result);
}

/**
 * The ledger after a failed request for `window` (evidence rule 2: no look): every part of `missing`
 * (the window's ranges without candles, before the live edge) becomes or stays an open hole with the
 * error, due again at `retryAt(attempts)`. Settled parts stay settled.
 */
export function failedWindow(
  existing: LedgerHole[],
  missing: Range[],
  error: string,
  now: number,
  retryAt: (attempts: number) => number,
): LedgerHole[] {
  const span = missing.length ? { from: missing[0]!.from, to: missing[missing.length - 1]!.to } : null;
  if (!span) return existing;
  const result: LedgerHole[] = existing.flatMap((h) => outside(h, span));
  const inside = existing
    .filter((h) => overlaps(h, span))
    .map((h) => ({ ...h, from: Math.max(h.from, span.from), to: Math.min(h.to, span.to) }));
  // Parts of old holes inside the span but not missing (stored since) are gone; missing parts keep their hole.
  for (const m of missing) {
    for (const { part, hole } of alongHoles(m, inside)) {
      if (hole && hole.state !== 'open') {
        result.push({ ...hole, ...part });
        continue;
      }
      const attempts = (hole?.attempts ?? 0) + 1;
      // A range looked at before keeps what the look found; one never answered for says why.
      const cause: HoleCause = hole && hole.looks > 0 ? hole.cause : 'fetch_failed';
      result.push({
        ...(hole ?? unlookedHole(part, cause, null)),
        ...part,
        cause,
        attempts,
        lastError: error,
        nextAttemptTs: retryAt(attempts),
      });
    }
  }
  return mergeHoles(result);
}

/** Holes with the parts inside `cut` removed (the range is now stored). */
export function withoutRange(existing: LedgerHole[], cut: Range): LedgerHole[] {
  return mergeHoles(existing.flatMap((h) => outside(h, cut)));
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

/** Sorted ranges with touching and overlapping ones joined. */
export function mergeRanges(ranges: Range[]): Range[] {
  const out: Range[] = [];
  for (const r of [...ranges].sort((a, b) => a.from - b.from)) {
    const last = out[out.length - 1];
    if (last && last.to >= r.from) last.to = Math.max(last.to, r.to);
    else out.push({ ...r });
  }
  return out;
}
