/**
 * Yahoo Finance chart v8 wire format (docs/SOURCES.md "Yahoo chart"): the result's meta, bars (epoch-second
 * timestamps, parallel arrays that may hold null), regular trading periods in either shape, and the
 * error bodies: JSON `{chart:{error:{code,description}}}` for 4xx, plain text for 429.
 * Parsing is strict about shape (a wrong shape is `malformed`) and never turns a null into a number.
 */
import type { Candle } from '../../shared/domain.js';
import { SourceError, type Range } from './source.js';
import { errorBodyText } from './error-body.js';

/** The parts of `meta` a client needs. */
export interface YahooMeta {
  symbol: string;
  /** EQUITY, ETF, CRYPTOCURRENCY, CURRENCY, FUTURE, INDEX, ... */
  instrumentType: string;
  /** IANA zone of the exchange, e.g. America/New_York. */
  exchangeTimezoneName: string;
  /** Current UTC offset of the exchange in seconds. */
  gmtoffset: number;
  /** First trade (epoch ms), when given. */
  firstTradeMs: number | null;
  /** Yahoo's interval of the bars, e.g. 5m, 1d. */
  dataGranularity: string | null;
}

/** One parsed chart response. */
export interface YahooChart {
  meta: YahooMeta;
  /** Bars with all four prices, in the order sent; `ts` is the wire timestamp in ms (not normalized). */
  bars: Candle[];
  /** Bars skipped because a price was null. */
  nullBars: number;
  /** Regular trading periods [start, end) in ms; null when the response carries none. */
  sessions: Range[] | null;
}

const malformed = (detail: string): SourceError =>
  new SourceError(`Yahoo sent a malformed chart response: ${detail}`, 'malformed');

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function numberOrNull(v: unknown, field: string, i: number): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw malformed(`${field}[${i}] is not a number`);
  return v;
}

function parseMeta(meta: unknown): YahooMeta {
  if (!isObject(meta)) throw malformed('result has no meta');
  const str = (k: string): string | null => (typeof meta[k] === 'string' ? (meta[k] as string) : null);
  return {
    symbol: str('symbol') ?? '',
    instrumentType: str('instrumentType') ?? '',
    exchangeTimezoneName: str('exchangeTimezoneName') ?? 'UTC',
    gmtoffset: typeof meta.gmtoffset === 'number' ? meta.gmtoffset : 0,
    firstTradeMs: typeof meta.firstTradeDate === 'number' ? meta.firstTradeDate * 1000 : null,
    dataGranularity: str('dataGranularity'),
  };
}

/** Regular sessions from `tradingPeriods`: `[[{start,end}],…]` or `{pre,regular,post}` (includePrePost=true). */
function parseSessions(periods: unknown): Range[] | null {
  if (periods === undefined || periods === null) return null;
  const days = Array.isArray(periods)
    ? periods
    : isObject(periods) && Array.isArray(periods.regular)
      ? periods.regular
      : null;
  if (!days) throw malformed('tradingPeriods has an unknown shape');
  const out: Range[] = [];
  for (const day of days as unknown[]) {
    for (const p of Array.isArray(day) ? day : [day]) {
      if (!isObject(p) || typeof p.start !== 'number' || typeof p.end !== 'number')
        throw malformed('a trading period lacks start/end');
      if (p.end > p.start) out.push({ from: p.start * 1000, to: p.end * 1000 });
    }
  }
  return out.sort((a, b) => a.from - b.from);
}

/** Parse a 200 body of /v8/finance/chart/{symbol}. */
export function parseChart(body: string): YahooChart {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    throw malformed(`not JSON (${body.length} bytes)`);
  }
  const chart = isObject(data) ? data.chart : undefined;
  if (!isObject(chart)) throw malformed('no chart object');
  if (chart.error !== null && chart.error !== undefined) throw malformed('an error in a 200 answer');
  const result = Array.isArray(chart.result) ? (chart.result[0] as unknown) : undefined;
  if (!isObject(result)) throw malformed('no result');
  const meta = parseMeta(result.meta);
  const sessions = parseSessions(isObject(result.meta) ? result.meta.tradingPeriods : undefined);
  // An empty window has no `timestamp` key and `quote: [{}]` (recorded for a weekend).
  if (result.timestamp === undefined) return { meta, bars: [], nullBars: 0, sessions };
  const timestamps = result.timestamp;
  if (!Array.isArray(timestamps)) throw malformed('timestamp is not an array');
  const indicators = result.indicators;
  const quote = isObject(indicators) && Array.isArray(indicators.quote) ? (indicators.quote[0] as unknown) : undefined;
  if (!isObject(quote)) throw malformed('no indicators.quote[0]');
  const column = (name: string): unknown[] => {
    const values = quote[name];
    if (!Array.isArray(values) || values.length !== timestamps.length)
      throw malformed(`quote.${name} does not match the ${timestamps.length} timestamps`);
    return values;
  };
  const [open, high, low, close] = ['open', 'high', 'low', 'close'].map(column) as [
    unknown[],
    unknown[],
    unknown[],
    unknown[],
  ];
  const volume = quote.volume === undefined ? null : column('volume');
  const bars: Candle[] = [];
  let nullBars = 0;
  for (let i = 0; i < timestamps.length; i++) {
    const ts = timestamps[i];
    if (typeof ts !== 'number' || !Number.isInteger(ts)) throw malformed(`timestamp[${i}] is not an integer`);
    const o = numberOrNull(open[i], 'open', i);
    const h = numberOrNull(high[i], 'high', i);
    const l = numberOrNull(low[i], 'low', i);
    const c = numberOrNull(close[i], 'close', i);
    // A bar without prices is a minute Yahoo has no data for: skipped, never stored as zeros.
    if (o === null || h === null || l === null || c === null) {
      nullBars++;
      continue;
    }
    bars.push({
      ts: ts * 1000,
      open: o,
      high: h,
      low: l,
      close: c,
      volume: volume ? numberOrNull(volume[i], 'volume', i) : null,
    });
  }
  return { meta, bars, nullBars, sessions };
}

/** True for the 400 Yahoo answers when a range holds no data at all (e.g. before the listing). */
export function isNoDataError(err: unknown): boolean {
  return err instanceof SourceError && err.status === 400 && /Data doesn't exist/i.test(err.message);
}

/** A non-2xx chart or search response as a SourceError with Yahoo's own description. */
export function yahooError(status: number, body: string, retryAfter: string | undefined): SourceError {
  let detail = errorBodyText(body) || `HTTP ${status}`;
  try {
    const parsed: unknown = JSON.parse(body);
    const error =
      isObject(parsed) && isObject(parsed.chart) ? parsed.chart.error : isObject(parsed) ? parsed.finance : undefined;
    const inner = isObject(error) && isObject(error.error) ? error.error : error;
    if (isObject(inner) && typeof inner.description === 'string')
      detail = `${inner.description} (${String(inner.code)})`;
  } catch {
    // 429s come as plain text ("Too Many Requests"); keep the text
  }
  const retryAfterSec = retryAfter !== undefined && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
  if (status === 429)
    return new SourceError(`Yahoo rate limit (HTTP 429): ${detail}`, 'rate_limited', status, retryAfterSec);
  if (status >= 500) return new SourceError(`Yahoo server error (HTTP ${status}): ${detail}`, 'unavailable', status);
  return new SourceError(`Yahoo refused the request (HTTP ${status}): ${detail}`, 'rejected', status);
}

/** One quote of /v1/finance/search. */
export interface YahooQuote {
  symbol: string;
  name: string;
  quoteType: string;
  exchange: string;
}

/** Parse a /v1/finance/search body. */
export function parseSearch(body: string): YahooQuote[] {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    throw new SourceError('Yahoo sent a malformed search response: not JSON', 'malformed');
  }
  if (!isObject(data) || !Array.isArray(data.quotes))
    throw new SourceError('Yahoo sent a malformed search response: no quotes', 'malformed');
  return data.quotes
    .filter(isObject)
    .filter((q) => typeof q.symbol === 'string')
    .map((q) => ({
      symbol: q.symbol as string,
      name: String(q.longname ?? q.shortname ?? q.symbol),
      quoteType: String(q.quoteType ?? ''),
      exchange: String(q.exchange ?? ''),
    }));
}
