/**
 * Timeframe arithmetic shared by engine, simulator and renderer.
 * All timestamps are candle OPEN times in epoch milliseconds, UTC.
 */

export const TIMEFRAMES = [
  '1m',
  '3m',
  '5m',
  '15m',
  '30m',
  '1h',
  '2h',
  '4h',
  '6h',
  '8h',
  '12h',
  '1d',
  '3d',
  '1w',
  '1M',
] as const;

export type Timeframe = (typeof TIMEFRAMES)[number];

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

/** 1970-01-05 was a Monday; Binance (and most exchanges) start weekly candles on Monday 00:00 UTC. */
const MONDAY_OFFSET_MS = 4 * DAY_MS;

const FIXED_MS: Record<Exclude<Timeframe, '1M'>, number> = {
  '1m': MINUTE_MS,
  '3m': 3 * MINUTE_MS,
  '5m': 5 * MINUTE_MS,
  '15m': 15 * MINUTE_MS,
  '30m': 30 * MINUTE_MS,
  '1h': HOUR_MS,
  '2h': 2 * HOUR_MS,
  '4h': 4 * HOUR_MS,
  '6h': 6 * HOUR_MS,
  '8h': 8 * HOUR_MS,
  '12h': 12 * HOUR_MS,
  '1d': DAY_MS,
  '3d': 3 * DAY_MS,
  '1w': WEEK_MS,
};

export function isTimeframe(value: unknown): value is Timeframe {
  return typeof value === 'string' && (TIMEFRAMES as readonly string[]).includes(value);
}

/** Nominal duration; for '1M' this is 30 days and only good for estimates. Use nextOpen() for exact steps. */
export function timeframeMs(tf: Timeframe): number {
  return tf === '1M' ? 30 * DAY_MS : FIXED_MS[tf];
}

/** Open time of the candle that contains `ts`. */
export function floorToTimeframe(tf: Timeframe, ts: number): number {
  if (tf === '1M') {
    const d = new Date(ts);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
  const step = FIXED_MS[tf];
  const offset = tf === '1w' ? MONDAY_OFFSET_MS : 0;
  return Math.floor((ts - offset) / step) * step + offset;
}

/** Smallest candle open time >= ts. */
export function ceilToTimeframe(tf: Timeframe, ts: number): number {
  const floor = floorToTimeframe(tf, ts);
  return floor === ts ? ts : nextOpen(tf, floor);
}

/** Open time of the candle after the one opening at `openTs` (which must be aligned). */
export function nextOpen(tf: Timeframe, openTs: number): number {
  if (tf === '1M') {
    const d = new Date(openTs);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  return openTs + FIXED_MS[tf];
}

export function isAligned(tf: Timeframe, ts: number): boolean {
  return floorToTimeframe(tf, ts) === ts;
}

/** Number of candle open times in [from, to). */
export function candleCount(tf: Timeframe, from: number, to: number): number {
  const start = ceilToTimeframe(tf, from);
  if (start >= to) return 0;
  if (tf !== '1M') return Math.ceil((to - start) / FIXED_MS[tf]);
  let n = 0;
  for (let t = start; t < to; t = nextOpen(tf, t)) n++;
  return n;
}

/** The open time of the last candle that has fully closed at `now`. */
export function lastClosedOpen(tf: Timeframe, now: number): number {
  const forming = floorToTimeframe(tf, now);
  if (tf !== '1M') return forming - FIXED_MS[tf];
  const d = new Date(forming);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1);
}
