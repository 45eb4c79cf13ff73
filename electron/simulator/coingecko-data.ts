/**
 * The numbers the simulator's CoinGecko venue serves, from the same 1m price path as every venue
 * (docs/SOURCES.md "CoinGecko OHLC", "CoinGecko market_chart"): /ohlc candles stamped at their CLOSE with
 * the size CoinGecko picks from `days`, and /market_chart/range points (price, market cap, rolling 24h
 * volume) at CoinGecko's automatic granularity. Tests use these functions to know what the venue serves.
 */
import type { VenueTruth } from './truth.js';
import { hashInts, hashString, unit } from './hash.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, type Timeframe } from '../../shared/timeframe.js';

/** `days` values /ohlc accepts (the documented enum). */
export const OHLC_DAYS = ['1', '7', '14', '30', '90', '180', '365', 'max'] as const;

/** Price multipliers of the quote currencies the simulator knows (everything is priced in USD). */
export const VS_CURRENCIES: Record<string, number> = { usd: 1, eur: 0.9 };

/** One /ohlc row: [close time ms, open, high, low, close]. */
export type OhlcRow = [number, number, number, number, number];

/** Candle size CoinGecko picks for `days` (1-2: 30 min, 3-30: 4 h, 31+: 4 days). */
export function ohlcCandleMs(days: number): number {
  if (days <= 2) return 30 * MINUTE_MS;
  if (days <= 30) return 4 * HOUR_MS;
  return 4 * DAY_MS;
}

function price(truth: VenueTruth, ticks: number, factor: number): number {
  const value = ticks / 10 ** truth.priceDecimals;
  return factor === 1 ? value : Number((value * factor).toFixed(truth.priceDecimals + 2));
}

/** The /ohlc answer for `days` back from `now`: completed candles only, oldest first. */
export function ohlcRows(truth: VenueTruth, days: number, now: number, factor = 1): OhlcRow[] {
  const size = ohlcCandleMs(days);
  const since = now - days * DAY_MS;
  const rows: OhlcRow[] = [];
  for (let open = Math.floor((since - size) / size) * size; open + size <= now; open += size) {
    if (open + size <= since) continue;
    let c: { open: number; high: number; low: number; close: number } | null = null;
    if (size === 4 * DAY_MS) {
      // Not one of our timeframes: aggregate its four days.
      const parts = [0, 1, 2, 3].map((i) => truth.candleAt('1d', open + i * DAY_MS, now)).filter((p) => p !== null);
      if (parts.length) {
        c = {
          open: parts[0]!.open,
          close: parts[parts.length - 1]!.close,
          high: Math.max(...parts.map((p) => p.high)),
          low: Math.min(...parts.map((p) => p.low)),
        };
      }
    } else {
      c = truth.candleAt((size === 30 * MINUTE_MS ? '30m' : '4h') as Timeframe, open, now);
    }
    if (c)
      rows.push([
        open + size,
        price(truth, c.open, factor),
        price(truth, c.high, factor),
        price(truth, c.low, factor),
        price(truth, c.close, factor),
      ]);
  }
  return rows;
}

export interface MarketChart {
  prices: Array<[number, number]>;
  market_caps: Array<[number, number]>;
  total_volumes: Array<[number, number]>;
}

/** Point spacing CoinGecko picks for a range [from, to] asked at `now`. */
export function chartStepMs(from: number, to: number, now: number): number {
  const span = to - from;
  if (span <= DAY_MS) return from >= now - DAY_MS - HOUR_MS ? 5 * MINUTE_MS : HOUR_MS;
  return span <= 90 * DAY_MS ? HOUR_MS : DAY_MS;
}

/** Points of /market_chart/range for [from, to] (ms): not aligned to the hour, daily ones at 00:00 UTC. */
export function chartPoints(truth: VenueTruth, from: number, to: number, now: number, factor = 1): MarketChart {
  const step = chartStepMs(from, to, now);
  const key = hashString(`coingecko-points:${truth.asset.key}`);
  const supply = Math.round(truth.asset.baseVolume * 800_000);
  const out: MarketChart = { prices: [], market_caps: [], total_volumes: [] };
  const push = (t: number): void => {
    const minute = truth.candleAt('1m', t - (t % MINUTE_MS), now);
    if (!minute) return; // no data then (maintenance, before listing)
    const p = price(truth, minute.close, factor);
    const slot = Math.floor(t / HOUR_MS);
    // A rolling 24h traded value: not any candle's volume (clients must not store it as one).
    const rolling = p * truth.asset.baseVolume * 1440 * (0.8 + 0.4 * unit(hashInts(1, key, 3, slot)));
    out.prices.push([t, p]);
    out.market_caps.push([t, Math.round(p * supply * 100) / 100]);
    out.total_volumes.push([t, Math.round(rolling * 100) / 100]);
  };
  for (let slot = Math.floor(from / step) * step; slot <= to; slot += step) {
    // Hourly and 5-minutely points are taken a few seconds to minutes after the slot, as CoinGecko's are.
    const t =
      step === DAY_MS
        ? slot
        : slot + Math.floor(unit(hashInts(2, key, 5, slot / MINUTE_MS)) * Math.min(step / 2, 4 * MINUTE_MS));
    if (t >= from && t <= to && t < now) push(t);
  }
  // The last point of a range reaching the present is "now".
  if (to >= now && now >= from) push(now);
  return out;
}
