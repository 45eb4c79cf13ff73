/**
 * Committing one fetched window: its candles and what it says about holes, in one transaction, so
 * a crash leaves the window wholly stored or wholly absent (docs/ARCHITECTURE.md "The path of one window").
 */
import type { Store } from '../store/store.js';
import { toLedgerHole } from '../store/hole-store.js';
import type { WindowResult } from '../sources/source.js';
import { gapsInWindow } from './coverage.js';
import {
  observeWindow,
  mergeHoles,
  subtractRanges,
  type LedgerHole,
  type ObservedGap,
  type Range,
} from './hole-ledger.js';
import { DEFAULT_EVIDENCE, type EvidenceRules } from './evidence.js';
import { packedRowsValid, validateCandles, type Validated } from './validate.js';
import type { PackedCandles } from '../sources/packed-candles.js';
import { rejectedSlots } from './rejected-holes.js';
import { storeLedger, type LedgerView } from './ledger-view.js';
import type { Series } from '../../shared/domain.js';
import { nextOpen } from '../../shared/timeframe.js';

export interface CommitResult {
  /** Candles new or changed. */
  stored: number;
  lastTs: number | null;
  /** Candles quarantined instead of stored. */
  rejected: number;
}

export interface CommitOptions {
  /** The source publishes volume: a candle without one is rejected (null is fine where it has none). */
  hasVolume?: boolean;
  /** Validate before storing (default true); false only to measure what validation costs (bench/). */
  validate?: boolean;
  /** When a hole is settled (engine/evidence.ts). */
  evidence?: EvidenceRules;
  /**
   * Exclusive end of what the answer proves (evidence rule 1): gaps after it are unknown, not looked
   * at. The whole window for answers fetched with `fetchProven`; an archive file's last row for files.
   */
  provenTo?: number;
  /** The ledger as this commit sees it (a commit of several windows reads it once: ledger-view.ts). */
  ledger?: LedgerView;
}

/**
 * Validate a window's candles, store the valid ones, quarantine the rest and reconcile the gap ledger
 * with it. `liveEdge` is the exclusive end of closed candles: a trailing hole touching it is data not
 * published yet, not a hole (unless a candle there was rejected: that hole is known).
 */
export function commitWindow(
  store: Store,
  series: Series,
  window: Range,
  result: WindowResult,
  liveEdge: number,
  now: number,
  options: CommitOptions = {},
): CommitResult {
  const packed = result.packed;
  const rules = { timeframe: series.timeframe, window, now, hasVolume: options.hasVolume ?? false };
  // Rows read packed and valid throughout (every healthy page) are stored as they are: no candle
  // object is built. Any other page is validated candle by candle, which says what fails and why.
  if (packed && options.validate !== false && !result.marketClosed?.length && packedRowsValid(packed, rules))
    return storePacked(store, series, { window, liveEdge, now }, packed, {
      provenTo: options.provenTo ?? window.to,
      evidence: options.evidence,
      ledger: options.ledger,
    });
  const checked: Validated =
    options.validate === false
      ? { candles: result.candles, rejected: [], folded: 0 }
      : validateCandles(result.candles, rules, result.raw);
  const { candles } = checked;
  const allGaps = gapsInWindow(
    series.timeframe,
    window,
    candles.map((c) => c.ts),
  );
  // Where the market was closed is never a gap: it is recorded as market_closed (settled, so not fetched again).
  const closed = result.marketClosed?.length
    ? subtractRanges(allGaps, subtractRanges(allGaps, result.marketClosed))
    : [];
  const provenTo = options.provenTo ?? window.to;
  const gaps = (closed.length ? subtractRanges(allGaps, closed) : allGaps)
    .filter((g) => g.to < liveEdge)
    .map((g) => ({ from: g.from, to: Math.min(g.to, provenTo) }))
    .filter((g) => g.to > g.from);
  const stored = store.transaction(() => {
    const changed = store.candles.upsert(series.id, candles);
    let quarantined: Range[] = [];
    if (checked.rejected.length) {
      store.rejected.record(series.id, checked.rejected, now);
      // A stored good version outlives a bad re-read of it: no hole where a candle is kept.
      const filled = (slot: number): boolean => store.candles.count(series.id, slot, slot + 1) > 0;
      quarantined = subtractRanges(rejectedSlots(series.timeframe, window, liveEdge, checked.rejected, filled), closed);
    }
    reconcileLedger(
      store,
      series,
      observedPart(
        window,
        provenTo,
        candles.length ? nextOpen(series.timeframe, candles[candles.length - 1]!.ts) : null,
      ),
      { gaps, quarantined, closed, firstTs: candles[0]?.ts ?? null },
      now,
      options.evidence,
      options.ledger,
    );
    return changed;
  });
  return { stored, lastTs: candles.length ? candles[candles.length - 1]!.ts : null, rejected: checked.rejected.length };
}

/** The part of a window an answer spoke for: up to what it proves, and at least up to its last candle. */
function observedPart(window: Range, provenTo: number, afterLast: number | null): Range {
  return { from: window.from, to: Math.min(window.to, Math.max(provenTo, afterLast ?? window.from)) };
}

/**
 * `commitWindow` for packed rows (bulk history): the same rules and the same ledger, without an
 * object per candle when every row is valid, which is every healthy archive. Otherwise the window
 * goes through `commitWindow` as candles, which says which rows fail and why.
 */
export function commitPackedWindow(
  store: Store,
  series: Series,
  window: Range,
  rows: PackedCandles,
  liveEdge: number,
  now: number,
  provenTo: number,
): CommitResult {
  const result: WindowResult = {
    packed: rows,
    requests: 0,
    get candles() {
      return rows.toCandles();
    },
  };
  return commitWindow(store, series, window, result, liveEdge, now, { provenTo });
}

/** Store packed rows already found valid, and reconcile the ledger with what they show. */
function storePacked(
  store: Store,
  series: Series,
  { window, liveEdge, now }: { window: Range; liveEdge: number; now: number },
  rows: PackedCandles,
  { provenTo, evidence, ledger }: { provenTo: number; evidence?: EvidenceRules; ledger?: LedgerView },
): CommitResult {
  const gaps = gapsInWindow(series.timeframe, window, rows.timestamps())
    .filter((g) => g.to < liveEdge)
    .map((g) => ({ from: g.from, to: Math.min(g.to, provenTo) }))
    .filter((g) => g.to > g.from);
  const stored = store.transaction(() => {
    const changed = store.candles.upsertPacked(series.id, rows);
    reconcileLedger(
      store,
      series,
      observedPart(window, provenTo, rows.length ? nextOpen(series.timeframe, rows.ts(rows.length - 1)) : null),
      { gaps, quarantined: [], closed: [], firstTs: rows.length ? rows.ts(0) : null },
      now,
      evidence,
      ledger,
    );
    return changed;
  });
  return { stored, lastTs: rows.length ? rows.ts(rows.length - 1) : null, rejected: 0 };
}

/** What a window showed about holes: runs with no candle, slots of rejected candles, market-closed time. */
interface WindowHoles {
  gaps: Range[];
  quarantined: Range[];
  closed: Range[];
  /** The window's first candle stored, if any. */
  firstTs: number | null;
}

/** Replace the ledger's holes touching `window` with what the window showed (inside the caller's transaction). */
function reconcileLedger(
  store: Store,
  series: Series,
  window: Range,
  { gaps, quarantined, closed, firstTs }: WindowHoles,
  now: number,
  evidence: EvidenceRules = DEFAULT_EVIDENCE,
  ledger: LedgerView = storeLedger(store, series.id),
): void {
  if (window.to <= window.from) return;
  // A gap after a candle of this very window is not before the listing: the store need not be asked.
  const storedBefore = (ts: number): boolean =>
    (firstTs !== null && firstTs < ts) || store.candles.lastBefore(series.id, ts) !== null;
  const observed: ObservedGap[] = (quarantined.length ? subtractRanges(gaps, quarantined) : gaps).map((g) => ({
    ...g,
    cause: storedBefore(g.from) ? 'source_gap' : 'before_listing',
  }));
  for (const r of quarantined) observed.push({ ...r, cause: 'rejected' });
  const existing = ledger.touching(window.from, window.to);
  const next = observeWindow(existing.map(toLedgerHole), window, observed, now, evidence);
  const closedHoles = closed.map((r): LedgerHole => ({
    ...r,
    state: 'market_closed',
    cause: 'market_closed',
    attempts: 0,
    nextAttemptTs: null,
    lastError: null,
    looks: 1,
    lookedAt: now,
    settledAt: now,
  }));
  ledger.replace(
    existing.map((h) => h.id),
    closedHoles.length ? mergeHoles([...next, ...closedHoles]) : next,
    now,
  );
}

/** Let other work (the UI's IPC, timers) run between two pieces of synchronous work. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
