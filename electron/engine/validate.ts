/**
 * Per-candle validation before anything is stored (docs/ARCHITECTURE.md "The path of one window"): a pure function from
 * a fetched page to the candles fit to store (sorted, exact duplicates folded) and the ones to
 * quarantine, each with the reason and the source's raw form. Runs on every window, so the common
 * case (a sorted page of valid candles) is one pass of comparisons that returns the page itself.
 */
import { rawText, type Rejection } from '../store/rejected-store.js';
import type { Candle } from '../../shared/domain.js';
import type { RejectReason } from '../../shared/quality.js';
import { floorToTimeframe, isAligned, nextOpen, timeframeMs, type Timeframe } from '../../shared/timeframe.js';
import type { PackedCandles } from '../sources/packed-candles.js';

export interface ValidationContext {
  timeframe: Timeframe;
  /** The requested window [from, to) of open times. */
  window: { from: number; to: number };
  now: number;
  /**
   * The source publishes volume: a candle without one, in a page where others have it, is incomplete.
   * (A page with no volume at all is an instrument without it, e.g. an index or a currency pair.)
   */
  hasVolume: boolean;
}

export interface Validated {
  /** Candles fit to store, ascending by open time, one per open time. */
  candles: Candle[];
  rejected: Rejection[];
  /** Exact duplicates folded into one. */
  folded: number;
}

const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);

/** The first rule `c` breaks, or null. Identity (time) rules first: a candle at a wrong time is wrong whatever its values. */
export function candleFault(c: Candle, ctx: ValidationContext): { reason: RejectReason; detail: string } | null {
  const { ts, open, high, low, close, volume } = c;
  if (!Number.isInteger(ts)) return { reason: 'not_finite', detail: `open time ${String(ts)} is not an integer` };
  if (ts > ctx.now) return { reason: 'future', detail: `opens at ${iso(ts)}, after now (${iso(ctx.now)})` };
  if (nextOpen(ctx.timeframe, ts) > ctx.now)
    return { reason: 'forming', detail: `still forming: closes at ${iso(nextOpen(ctx.timeframe, ts))}` };
  if (!isAligned(ctx.timeframe, ts))
    return { reason: 'off_grid', detail: `opens at ${iso(ts)}, off the ${ctx.timeframe} grid` };
  if (ts < ctx.window.from || ts >= ctx.window.to) {
    return {
      reason: 'outside_window',
      detail: `opens at ${iso(ts)}, outside the requested ${iso(ctx.window.from)}..${iso(ctx.window.to)}`,
    };
  }
  if (!finite(open) || !finite(high) || !finite(low) || !finite(close)) {
    return {
      reason: 'not_finite',
      detail: `prices must be finite numbers: open ${open} high ${high} low ${low} close ${close}`,
    };
  }
  if (volume === null || volume === undefined) {
    if (ctx.hasVolume) return { reason: 'missing_volume', detail: 'no volume from a source that publishes volume' };
  } else if (!finite(volume)) return { reason: 'not_finite', detail: `volume ${volume} is not a finite number` };
  if (high < Math.max(open, close))
    return { reason: 'high_below_max', detail: `high ${high} < max(open ${open}, close ${close})` };
  if (low > Math.min(open, close))
    return { reason: 'low_above_min', detail: `low ${low} > min(open ${open}, close ${close})` };
  if (low <= 0) return { reason: 'low_not_positive', detail: `low ${low} is not positive` };
  if (volume !== null && volume !== undefined && volume < 0)
    return { reason: 'negative_volume', detail: `volume ${volume} is negative` };
  return null;
}

/** Validate a fetched page; `raw[i]` is the source's form of `candles[i]` where it has one. */
export function validateCandles(
  candles: readonly Candle[],
  context: ValidationContext,
  raw?: readonly unknown[],
): Validated {
  const ctx =
    context.hasVolume && !candles.some((c) => c.volume !== null && c.volume !== undefined)
      ? { ...context, hasVolume: false }
      : context;
  const valid = quickCheck(ctx);
  let previous = -Infinity;
  let i = 0;
  // Fast path: ascending open times and every candle valid (every healthy page).
  for (; i < candles.length; i++) {
    const c = candles[i]!;
    if (!(c.ts > previous) || !valid(c)) break;
    previous = c.ts;
  }
  if (i === candles.length) return { candles: candles as Candle[], rejected: [], folded: 0 };
  return validateSlowly(candles, ctx, raw);
}

/** Every rule of candleFault over a candle's values, true when it breaks none. */
export type QuickRule = (
  ts: number,
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number | null | undefined,
) => boolean;

/**
 * Every rule of candleFault as one chain of comparisons, for the fast path (a page of 1000 candles in
 * microseconds); null for calendar months, whose grid only candleFault knows. NaN fails every
 * comparison, and a finite high at or above open and close with a positive low at or below them
 * makes all four prices finite; candleFault names what failed.
 */
export function quickRule(ctx: ValidationContext): QuickRule | null {
  if (ctx.timeframe === '1M') return null;
  const step = timeframeMs(ctx.timeframe);
  const origin = floorToTimeframe(ctx.timeframe, 0);
  const { from, to } = ctx.window;
  const lastOpen = ctx.now - step;
  const volumeRequired = ctx.hasVolume;
  return (ts, open, high, low, close, volume) =>
    ts >= from &&
    ts < to &&
    ts <= lastOpen &&
    (ts - origin) % step === 0 &&
    high >= open &&
    high >= close &&
    high < Infinity &&
    low <= open &&
    low <= close &&
    low > 0 &&
    (volume === null || volume === undefined ? !volumeRequired : volume >= 0 && volume < Infinity);
}

function quickCheck(ctx: ValidationContext): (c: Candle) => boolean {
  const rule = quickRule(ctx);
  if (!rule) return (c) => candleFault(c, ctx) === null;
  return (c) => rule(c.ts, c.open, c.high, c.low, c.close, c.volume);
}

/**
 * True when packed rows (bulk history, strictly ascending by construction) are all fit to store as
 * they are; otherwise the caller validates them as candles, to learn which fail and why.
 */
export function packedRowsValid(rows: PackedCandles, ctx: ValidationContext): boolean {
  const rule = quickRule(ctx);
  if (!rule) return false;
  const d = rows.data;
  let previous = -Infinity;
  for (let i = 0; i < rows.length; i++) {
    const o = rows.offset(i);
    const ts = d[o]!;
    if (!(ts > previous) || !rule(ts, d[o + 1]!, d[o + 2]!, d[o + 3]!, d[o + 4]!, d[o + 5]!)) return false;
    previous = ts;
  }
  return true;
}

/** Sort, group by open time, fold exact duplicates, reject conflicts and rule breakers. */
function validateSlowly(candles: readonly Candle[], ctx: ValidationContext, raw?: readonly unknown[]): Validated {
  const order = candles.map((_, i) => i).sort((a, b) => compareTs(candles[a]!.ts, candles[b]!.ts) || a - b);
  const accepted: Candle[] = [];
  const rejected: Rejection[] = [];
  let folded = 0;
  for (let start = 0; start < order.length;) {
    let end = start + 1;
    while (end < order.length && sameTs(candles[order[end]!]!.ts, candles[order[start]!]!.ts)) end++;
    // Exact copies of one row are one candle; distinct rows with one open time are a conflict.
    const distinct: number[] = [];
    for (let k = start; k < end; k++) {
      const idx = order[k]!;
      if (distinct.some((d) => sameCandle(candles[d]!, candles[idx]!))) folded++;
      else distinct.push(idx);
    }
    for (const idx of distinct) {
      const c = candles[idx]!;
      const fault = candleFault(c, ctx);
      if (fault) rejected.push({ ts: c.ts, ...fault, raw: raw?.[idx] ?? c });
      else if (distinct.length > 1) {
        rejected.push({
          ts: c.ts,
          reason: 'conflicting_duplicate',
          detail: `${distinct.length} different candles open at ${iso(c.ts)}`,
          raw: raw?.[idx] ?? c,
        });
      } else accepted.push(c);
    }
    start = end;
  }
  return { candles: accepted, rejected, folded };
}

function compareTs(a: number, b: number): number {
  // NaN sorts last and equal to itself, so it is grouped (and rejected) rather than breaking the sort.
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a - b;
}

const sameTs = (a: number, b: number): boolean => a === b || (Number.isNaN(a) && Number.isNaN(b));

function sameCandle(a: Candle, b: Candle): boolean {
  return (
    Object.is(a.ts, b.ts) &&
    Object.is(a.open, b.open) &&
    Object.is(a.high, b.high) &&
    Object.is(a.low, b.low) &&
    Object.is(a.close, b.close) &&
    Object.is(a.volume, b.volume)
  );
}

function iso(ts: number): string {
  return Number.isFinite(ts) && Math.abs(ts) < 8.64e15 ? new Date(ts).toISOString() : String(ts);
}

export { rawText, type Rejection };
