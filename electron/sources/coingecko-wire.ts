/**
 * CoinGecko API v3 wire format (docs/SOURCES.md, the CoinGecko sections): /ohlc rows `[close_ms, o, h, l,
 * c]` (numbers, no volume, stamped at the candle's CLOSE: converted here to our open time),
 * /market_chart/range `{prices, market_caps, total_volumes}` points, /coins/list, and the error bodies in
 * their several shapes. Parsing is strict about shape; a wrong shape is `malformed` and never stored.
 */
import type { Candle } from '../../shared/domain.js';
import { SourceError } from './source.js';
import { errorBodyText } from './error-body.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function json(body: string, what: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new SourceError(`CoinGecko sent a malformed ${what} response: not JSON (${body.length} bytes)`, 'malformed');
  }
}

/**
 * Parse /ohlc rows of `candleMs`-long candles into candles stamped at their OPEN time, volume null.
 * Rows closer together than `candleMs` mean CoinGecko chose another candle size than its documented
 * rule: malformed, rather than stored on the wrong grid.
 */
export function parseOhlc(body: string, candleMs: number): Candle[] {
  const data = json(body, 'ohlc');
  const bad = (detail: string): SourceError =>
    new SourceError(`CoinGecko sent a malformed ohlc response: ${detail}`, 'malformed');
  if (!Array.isArray(data)) throw bad('expected an array of rows');
  const out: Candle[] = [];
  for (let i = 0; i < data.length; i++) {
    const row: unknown = data[i];
    if (
      !Array.isArray(row) ||
      row.length < 5 ||
      !row.slice(0, 5).every((v) => typeof v === 'number' && Number.isFinite(v))
    ) {
      throw bad(`row ${i} is not [time, open, high, low, close] numbers`);
    }
    const [closeTs, open, high, low, close] = row as [number, number, number, number, number];
    const prev = out[out.length - 1];
    const step = prev ? closeTs - (prev.ts + candleMs) : candleMs;
    if (step < candleMs || step % candleMs !== 0) {
      // A last row off the grid is the candle still forming, stamped "now": not a candle yet.
      if (i === data.length - 1) break;
      throw bad(`rows ${i - 1} and ${i} close ${step} ms apart, not a multiple of ${candleMs}`);
    }
    out.push({ ts: closeTs - candleMs, open, high, low, close, volume: null });
  }
  return out;
}

/** A [time ms, value] series of /market_chart(/range). */
export type ChartPoint = [number, number];

export interface MarketChart {
  prices: ChartPoint[];
  /** Rolling 24-hour traded value at each point: NOT a candle's volume, never stored as one. */
  totalVolumes: ChartPoint[];
}

/** Parse a /market_chart/range body. */
export function parseMarketChart(body: string): MarketChart {
  const data = json(body, 'market_chart');
  const points = (name: string): ChartPoint[] => {
    const series = isObject(data) ? data[name] : undefined;
    if (!Array.isArray(series))
      throw new SourceError(`CoinGecko sent a malformed market_chart response: no ${name} array`, 'malformed');
    return series.map((p: unknown, i) => {
      if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number') {
        throw new SourceError(
          `CoinGecko sent a malformed market_chart response: ${name}[${i}] is not [time, value]`,
          'malformed',
        );
      }
      return [p[0], p[1]] as ChartPoint;
    });
  };
  return { prices: points('prices'), totalVolumes: points('total_volumes') };
}

export interface CoinListing {
  id: string;
  symbol: string;
  name: string;
}

/** Parse a /coins/list body. */
export function parseCoinsList(body: string): CoinListing[] {
  const data = json(body, 'coins/list');
  if (!Array.isArray(data))
    throw new SourceError('CoinGecko sent a malformed coins/list response: expected an array', 'malformed');
  return data
    .filter(isObject)
    .filter((c) => typeof c.id === 'string')
    .map((c) => ({ id: c.id as string, symbol: String(c.symbol ?? ''), name: String(c.name ?? c.id) }));
}

/** CoinGecko's own words from any of its error shapes, with its error_code when it sent one. */
function errorDetail(body: string): { text: string; code?: number } {
  try {
    const data: unknown = JSON.parse(body);
    if (isObject(data)) {
      if (typeof data.error === 'string') return { text: data.error };
      const status =
        isObject(data.error) && isObject(data.error.status)
          ? data.error.status
          : isObject(data.status)
            ? data.status
            : undefined;
      if (status && typeof status.error_message === 'string') {
        return {
          text: status.error_message.trim(),
          code: typeof status.error_code === 'number' ? status.error_code : undefined,
        };
      }
    }
  } catch {
    // Cloudflare answers some 429s and blocks with an HTML page
  }
  return { text: errorBodyText(body, 160) };
}

/**
 * A non-2xx CoinGecko response as a SourceError. `secret` (the API key) is removed from the message
 * should the server ever echo it.
 */
export function coingeckoError(
  status: number,
  body: string,
  retryAfter: string | undefined,
  secret?: string,
): SourceError {
  const { text, code } = errorDetail(body);
  const detail = `${text || `HTTP ${status}`}${code !== undefined && code !== status ? ` (error ${code})` : ''}`;
  const scrub = (m: string): string => (secret ? m.split(secret).join('***') : m);
  const retryAfterSec = retryAfter !== undefined && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
  if (status === 429)
    return new SourceError(scrub(`CoinGecko rate limit (HTTP 429): ${detail}`), 'rate_limited', status, retryAfterSec);
  if (status >= 500)
    return new SourceError(scrub(`CoinGecko server error (HTTP ${status}): ${detail}`), 'unavailable', status);
  return new SourceError(scrub(`CoinGecko refused the request (HTTP ${status}): ${detail}`), 'rejected', status);
}
