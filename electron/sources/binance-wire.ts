/**
 * Binance spot wire format (docs/SOURCES.md "Binance klines", "Binance errors"): kline rows, {code,msg} errors.
 * Parsing is strict: a body of the wrong shape is `malformed` and is never stored.
 */
import type { Candle } from '../../shared/domain.js';
import { SourceError } from './source.js';
import { scanKlineRows, textOf } from './binance-kline-scan.js';
import type { PackedCandles } from './packed-candles.js';
import { errorBodyText } from './error-body.js';

export interface Kline extends Candle {
  /** Field 6: open time of the next candle minus 1 ms. */
  closeTime: number;
}

/**
 * A decimal string field. A string that is not a finite number ("NaN", "Infinity") keeps the page's
 * shape: it becomes NaN, and validation quarantines that one candle with its raw row. A field of the
 * wrong JSON type means the page itself is not klines: malformed, never stored.
 */
function decimal(value: unknown, field: string, row: number): number {
  if (typeof value !== 'string') throw malformed(`row ${row} field ${field} is not a decimal string`);
  const n = value.trim() === '' ? Number.NaN : Number(value);
  return Number.isFinite(n) ? n : Number.NaN;
}

function integer(value: unknown, field: string, row: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw malformed(`row ${row} field ${field} is not an integer`);
  return value;
}

const malformed = (detail: string): SourceError =>
  new SourceError(`Binance sent a malformed klines response: ${detail}`, 'malformed');

/** A klines page: its candles (oldest first, as sent), field 6 of each row, and the rows as sent. */
export interface KlinePage {
  readonly candles: Candle[];
  readonly closeTimes: number[];
  /** `rows[i]` is the wire row of `candles[i]` (its JSON form is the row as sent). */
  readonly rows: unknown[];
  /** The same candles packed, when the fast path read them in ascending order (binance-kline-scan.ts). */
  readonly packed?: PackedCandles | null;
}

/** Parse a /api/v3/klines body into klines (oldest first, as sent). */
export function parseKlines(body: string): Kline[] {
  const page = parseKlineRows(Buffer.from(body, 'utf8'));
  return page.candles.map((c, i) => ({ ...c, closeTime: page.closeTimes[i]! }));
}

/**
 * Parse a /api/v3/klines body. Binance's own compact form takes the fast path (binance-kline-scan.ts);
 * anything else is parsed and judged here.
 */
export function parseKlineRows(body: Uint8Array): KlinePage {
  return scanKlineRows(body) ?? parseKlineJson(textOf(body));
}

function parseKlineJson(body: string): KlinePage {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    throw malformed(
      `not JSON (${body.length} bytes${body.length ? `, starts ${JSON.stringify(body.slice(0, 24))}` : ''})`,
    );
  }
  if (!Array.isArray(data)) throw malformed('expected an array of rows');
  const candles: Candle[] = new Array(data.length);
  const closeTimes: number[] = new Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const row: unknown = data[i];
    if (!Array.isArray(row) || row.length < 12) throw malformed(`row ${i} is not a 12-field array`);
    candles[i] = {
      ts: integer(row[0], 'openTime', i),
      open: decimal(row[1], 'open', i),
      high: decimal(row[2], 'high', i),
      low: decimal(row[3], 'low', i),
      close: decimal(row[4], 'close', i),
      volume: decimal(row[5], 'volume', i),
    };
    closeTimes[i] = integer(row[6], 'closeTime', i);
  }
  return { candles, closeTimes, rows: data };
}

/** Turn a non-2xx Binance response into a SourceError carrying the server's own message. */
export function binanceError(status: number, body: string, retryAfter: string | undefined): SourceError {
  let detail = errorBodyText(body) || `HTTP ${status}`;
  try {
    const parsed = JSON.parse(body) as { code?: unknown; msg?: unknown };
    if (typeof parsed.msg === 'string') detail = `${parsed.msg} (code ${String(parsed.code)})`;
  } catch {
    // not JSON (e.g. CloudFront's page for a WAF block or an outage): keep its text
  }
  const retryAfterSec = retryAfter !== undefined && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
  if (status === 429 || status === 418) {
    return new SourceError(`Binance rate limit (HTTP ${status}): ${detail}`, 'rate_limited', status, retryAfterSec);
  }
  if (status >= 500) return new SourceError(`Binance server error (HTTP ${status}): ${detail}`, 'unavailable', status);
  return new SourceError(`Binance refused the request: ${detail}`, 'rejected', status);
}
