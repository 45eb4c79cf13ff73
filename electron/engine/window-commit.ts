/**
 * Committing one fetched window: its candles and what it says about holes, in one transaction, so
 * a crash leaves the window wholly stored or wholly absent (DESIGN.md "crash safety").
 */
import type { Store } from '../store/store.js';
import { toLedgerHole } from '../store/hole-store.js';
import type { WindowResult } from '../sources/source.js';
import { gapsInWindow } from './coverage.js';
import { observeWindow, mergeHoles, subtractRanges, type LedgerHole, type ObservedGap, type Range } from './hole-ledger.js';
import { validateCandles, type Validated } from './validate.js';
import { rejectedSlots } from './rejected-holes.js';
import type { Series } from '../../shared/domain.js';

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
}

/**
 * Validate a window's candles, store the valid ones, quarantine the rest and reconcile the gap ledger
 * with it. `liveEdge` is the exclusive end of closed candles: a trailing hole touching it is data not
 * published yet, not a hole (unless a candle there was rejected: that hole is known).
 */
export function commitWindow(store: Store, series: Series, window: Range, result: WindowResult, liveEdge: number, now: number, options: CommitOptions = {}): CommitResult {
  const checked: Validated = options.validate === false
    ? { candles: result.candles, rejected: [], folded: 0 }
    : validateCandles(result.candles, { timeframe: series.timeframe, window, now, hasVolume: options.hasVolume ?? false }, result.raw);
  const { candles } = checked;
  const allGaps = gapsInWindow(series.timeframe, window, candles.map((c) => c.ts));
  // Where the market was closed is never a gap: it is recorded as market_closed (settled, so not fetched again).
  const closed = result.marketClosed?.length ? subtractRanges(allGaps, subtractRanges(allGaps, result.marketClosed)) : [];
  const gaps = (closed.length ? subtractRanges(allGaps, closed) : allGaps).filter((g) => g.to < liveEdge);
  const stored = store.transaction(() => {
    const changed = store.candles.upsert(series.id, candles);
    let quarantined: Range[] = [];
    if (checked.rejected.length) {
      store.rejected.record(series.id, checked.rejected, now);
      // A stored good version outlives a bad re-read of it: no hole where a candle is kept.
      const filled = (slot: number): boolean => store.candles.count(series.id, slot, slot + 1) > 0;
      quarantined = subtractRanges(rejectedSlots(series.timeframe, window, liveEdge, checked.rejected, filled), closed);
    }
    const observed: ObservedGap[] = (quarantined.length ? subtractRanges(gaps, quarantined) : gaps).map((g) => ({
      ...g,
      cause: store.candles.lastBefore(series.id, g.from) === null ? 'before_listing' : 'source_gap',
    }));
    for (const r of quarantined) observed.push({ ...r, cause: 'rejected' });
    const existing = store.holes.touching(series.id, window.from, window.to);
    const next = observeWindow(existing.map(toLedgerHole), window, observed, now);
    const closedHoles = closed.map((r): LedgerHole => ({ ...r, state: 'market_closed', cause: 'market_closed', attempts: 0, nextAttemptTs: null, lastError: null }));
    store.holes.replace(series.id, existing.map((h) => h.id), closedHoles.length ? mergeHoles([...next, ...closedHoles]) : next, now);
    return changed;
  });
  return { stored, lastTs: candles.length ? candles[candles.length - 1]!.ts : null, rejected: checked.rejected.length };
}

/** Let other work (the UI's IPC, timers) run between two pieces of synchronous work. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
