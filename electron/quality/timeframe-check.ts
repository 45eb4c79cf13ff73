/**
 * Cross-timeframe consistency: where a source's symbol is kept at two timeframes, each higher candle
 * must equal the aggregate of the lower candles it spans (open of the first, highest high, lowest
 * low, close of the last, summed volume). A higher candle is compared only when every lower candle of
 * its span is stored or known not to exist (market closed, confirmed empty); each is compared once.
 */
import type { Store } from '../store/store.js';
import type { Candle, Series } from '../../shared/domain.js';
import { DAY_MS, candleCount, nextOpen, timeframeMs, type Timeframe } from '../../shared/timeframe.js';
import type { Annotation } from './anomalies.js';
import { yieldToEventLoop } from '../engine/window-commit.js';
import { seriesBounds } from './series-bounds.js';

/** Whether candles of `lower` tile candles of `higher` exactly (same grid, whole multiples). */
export function tiles(lower: Timeframe, higher: Timeframe): boolean {
  if (lower === higher || lower === '1M') return false;
  const low = timeframeMs(lower);
  if (higher === '1M') return low <= DAY_MS && DAY_MS % low === 0;
  const high = timeframeMs(higher);
  // Weeks open on Mondays: only divisors of a day line up with them.
  if (higher === '1w') return low <= DAY_MS ? DAY_MS % low === 0 : false;
  return high > low && high % low === 0;
}

/** Aggregate of candles (ascending) into one candle opening at `ts`. */
export function aggregate(ts: number, candles: readonly Candle[]): Candle {
  let high = -Infinity;
  let low = Infinity;
  let volume: number | null = 0;
  for (const c of candles) {
    if (c.high > high) high = c.high;
    if (c.low < low) low = c.low;
    volume = volume === null || c.volume === null ? null : volume + c.volume;
  }
  return { ts, open: candles[0]!.open, high, low, close: candles[candles.length - 1]!.close, volume };
}

const FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;
/** Sums of decimal volumes differ from the published total by float rounding only. */
const near = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** Fields where `candle` differs from `agg` (volume only where both have one). */
export function mismatchedFields(candle: Candle, agg: Candle): Array<(typeof FIELDS)[number]> {
  return FIELDS.filter((f) => {
    const a = candle[f];
    const b = agg[f];
    return a !== null && b !== null && !near(a, b);
  });
}

export const timeframeSubject = (lower: Series, higher: Series): string => `timeframes:${lower.id}:${higher.id}`;

/** Pairs (lower, higher) to check: for each series, the nearest lower timeframe of the same source and symbol that tiles it. */
export function timeframePairs(all: readonly Series[]): Array<{ lower: Series; higher: Series }> {
  const pairs: Array<{ lower: Series; higher: Series }> = [];
  for (const higher of all) {
    const lower = all
      .filter((s) => s.source === higher.source && s.symbol === higher.symbol && tiles(s.timeframe, higher.timeframe))
      .sort((a, b) => timeframeMs(b.timeframe) - timeframeMs(a.timeframe))[0];
    if (lower) pairs.push({ lower, higher });
  }
  return pairs;
}

/** Higher candles examined per read of the lower series. */
const BATCH = 200;

/** Compare the higher series' candles not yet compared with the lower series' aggregates. */
export async function scanTimeframes(store: Store, lower: Series, higher: Series, now: number): Promise<void> {
  const subject = timeframeSubject(lower, higher);
  const low = seriesBounds(store, lower.id);
  const high = seriesBounds(store, higher.id);
  if (low.firstTs === null || low.lastTs === null || high.firstTs === null) return;
  const mark = store.quality.mark(subject);
  const from = Math.max(mark?.scannedTo ?? -Infinity, high.firstTs);
  // Only spans the lower series has reached are final; later ones wait for the next scan.
  const lowEnd = nextOpen(lower.timeframe, low.lastTs);
  const candidates = store.candles
    .range(higher.id, from, lowEnd)
    .filter((c) => nextOpen(higher.timeframe, c.ts) <= lowEnd && c.ts >= low.firstTs!);
  const found: Annotation[] = [];
  let compared = 0;
  for (let i = 0; i < candidates.length; i += BATCH) {
    const batch = candidates.slice(i, i + BATCH);
    const spanFrom = batch[0]!.ts;
    const spanTo = nextOpen(higher.timeframe, batch[batch.length - 1]!.ts);
    const lows = store.candles.range(lower.id, spanFrom, spanTo);
    const settled = store.holes
      .overlapping(lower.id, spanFrom, spanTo)
      .filter((h) => h.state !== 'open' && h.cause !== 'rejected');
    let k = 0;
    for (const candle of batch) {
      const end = nextOpen(higher.timeframe, candle.ts);
      while (k < lows.length && lows[k]!.ts < candle.ts) k++;
      const start = k;
      while (k < lows.length && lows[k]!.ts < end) k++;
      const part = lows.slice(start, k);
      const missingOk = settled.reduce(
        (n, h) => n + slots(lower.timeframe, Math.max(h.fromTs, candle.ts), Math.min(h.toTs, end)),
        0,
      );
      if (!part.length || part.length + missingOk < candleCount(lower.timeframe, candle.ts, end)) continue;
      compared++;
      const agg = aggregate(candle.ts, part);
      const fields = mismatchedFields(candle, agg);
      if (fields.length) found.push(mismatch(lower, higher, candle, agg, fields));
    }
    await yieldToEventLoop();
  }
  const scannedTo = candidates.length ? nextOpen(higher.timeframe, candidates[candidates.length - 1]!.ts) : from;
  store.transaction(() => {
    if ((store.quality.mark(subject)?.scannedTo ?? null) !== (mark?.scannedTo ?? null)) return;
    store.quality.add(
      subject,
      found.map((f) => ({ ...f, seriesId: higher.id })),
      now,
    );
    store.quality.tally(subject, higher.id, compared, null);
    store.quality.setMark(subject, [lower.id, higher.id], Math.max(scannedTo, mark?.scannedTo ?? scannedTo), now);
  });
}

const slots = (tf: Timeframe, from: number, to: number): number => (to > from ? candleCount(tf, from, to) : 0);

function mismatch(lower: Series, higher: Series, candle: Candle, agg: Candle, fields: string[]): Annotation {
  const diffs = fields.map((f) => `${f} ${candle[f as keyof Candle]} vs ${agg[f as keyof Candle]}`).join(', ');
  return {
    kind: 'timeframe_mismatch',
    ts: candle.ts,
    toTs: nextOpen(higher.timeframe, candle.ts),
    message: `${higher.source} ${higher.symbol} ${higher.timeframe} at ${new Date(candle.ts).toISOString()} differs from its ${lower.timeframe} candles: ${diffs}`,
    data: { lowerSeriesId: lower.id, lowerTimeframe: lower.timeframe, candle, aggregate: agg, fields },
  };
}
