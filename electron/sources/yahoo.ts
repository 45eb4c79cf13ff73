/**
 * Yahoo Finance chart v8 (docs/SOURCES.md "Yahoo chart"): equities, ETFs, FX and crypto by Yahoo symbol (AAPL,
 * SPY, BTC-USD). Requests use period1/period2 in seconds, windows sized to Yahoo's interval limits
 * (1m: 7 days per request within the last 30; 5m-30m: the last 60 days; 1h: the last 730 days).
 * Null bars are skipped, bars outside the window or outside a session (the "latest quote" Yahoo
 * appends) are dropped, the forming bar is never kept, and for session-traded instruments the
 * nights, weekends and holidays are reported as market-closed ranges, from the response's own meta.
 */
import type { Clock } from '../net/clock.js';
import type { HttpResponse } from '../net/http-client.js';
import type { Network } from '../net/network.js';
import type { SourceHttp } from '../net/source-http.js';
import type { Candle } from '../../shared/domain.js';
import { DAY_MS, isAligned, nextOpen, ceilToTimeframe, type Timeframe } from '../../shared/timeframe.js';
import { isNoDataError, parseChart, parseSearch, yahooError, type YahooChart } from './yahoo-wire.js';
import { calendarOpen, closedBetweenBars, closedOutsideSessions, inSession } from './yahoo-sessions.js';
import {
  SourceError,
  type Instrument,
  type Range,
  type Source,
  type SourceCapabilities,
  type WindowRequest,
  type WindowResult,
} from './source.js';

/** query1 and query2 serve the same data (yfinance const.py): one pool. */
export const YAHOO_DEFAULT_HOSTS = ['https://query1.finance.yahoo.com', 'https://query2.finance.yahoo.com'];
/** Yahoo publishes no limit; this pace has not been throttled in practice (override: CANDLEKEEP_YAHOO_CALLS_PER_MIN). */
export const YAHOO_DEFAULT_CALLS_PER_MIN = 60;

/** Our timeframes Yahoo has an interval for (its 2m, 90m, 5d, 3mo have no counterpart here). */
const INTERVALS: Partial<Record<Timeframe, string>> = {
  '1m': '1m',
  '5m': '5m',
  '15m': '15m',
  '30m': '30m',
  '1h': '60m',
  '1d': '1d',
  '1w': '1wk',
  '1M': '1mo',
};
const INTRADAY = new Set<Timeframe>(['1m', '5m', '15m', '30m', '1h']);
/** How far back each interval reaches (yfinance history.py min_lookbacks; Yahoo's 422 messages). */
const LOOKBACK: Partial<Record<Timeframe, number>> = {
  '1m': 30 * DAY_MS,
  '5m': 60 * DAY_MS,
  '15m': 60 * DAY_MS,
  '30m': 60 * DAY_MS,
  '1h': 730 * DAY_MS,
};
/** Span of one request: 1m is capped at 7 days per request; the rest are kept to ~20k bars or fewer. */
const WINDOW: Record<string, number> = {
  '1m': 7 * DAY_MS,
  '5m': 60 * DAY_MS,
  '15m': 60 * DAY_MS,
  '30m': 60 * DAY_MS,
  '1h': 365 * DAY_MS,
  '1d': 3650 * DAY_MS,
  '1w': 7300 * DAY_MS,
  '1M': 36500 * DAY_MS,
};
const SYMBOL_PATTERN = /^[A-Z0-9.^=\-]{1,24}$/;
/** Yahoo answers unknown clients with 429s; a browser-like agent is what every client library sends. */
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

export interface YahooOptions {
  /** Equivalent base URLs, e.g. https://query1.finance.yahoo.com or http://127.0.0.1:N/yahoo. */
  hosts: string[];
  clock: Clock;
  network: Network;
  callsPerMinute?: number;
  timeoutMs?: number;
}

export class YahooSource implements Source {
  readonly id = 'yahoo';
  readonly capabilities: SourceCapabilities = {
    timeframes: Object.keys(INTERVALS) as Timeframe[],
    maxCandlesPerRequest: 17_280,
    lookbackMs: LOOKBACK,
    hasVolume: true,
    trading: 'sessions',
    notes: [
      "equities trade in exchange sessions: nights, weekends and holidays (from each answer's trading periods) are market-closed, not gaps",
      "crypto (BTC-USD) trades 24/7; daily and longer candles are stored at 00:00 UTC of the exchange's local date",
      '1h needs sessions that open on the hour (US equities open at 09:30, so use 30m or 1d for them)',
    ],
  };

  private readonly http: SourceHttp;
  private readonly clock: Clock;

  constructor(options: YahooOptions) {
    this.clock = options.clock;
    this.http = options.network.http({
      source: this.id,
      budgetKey: 'yahoo',
      budget: { limit: options.callsPerMinute ?? YAHOO_DEFAULT_CALLS_PER_MIN, windowMs: 60_000 },
      hosts: options.hosts,
      toError: (res) => yahooError(res.status, res.body, header(res, 'retry-after')),
      headers: () => ({ 'User-Agent': USER_AGENT, Accept: 'application/json' }),
      timeoutMs: options.timeoutMs,
    });
  }

  normalizeSymbol(symbol: string): string {
    const upper = symbol.trim().toUpperCase();
    if (!SYMBOL_PATTERN.test(upper)) {
      throw new SourceError(
        `invalid Yahoo symbol '${symbol}': use Yahoo's ticker, e.g. AAPL, SPY, BTC-USD, EURUSD=X, ^GSPC`,
        'rejected',
      );
    }
    return upper;
  }

  windows(timeframe: Timeframe, from: number, to: number): Range[] {
    const span = WINDOW[timeframe] ?? 365 * DAY_MS;
    const out: Range[] = [];
    for (let start = ceilToTimeframe(timeframe, from); start < to;) {
      const end = Math.min(to, ceilToTimeframe(timeframe, start + span));
      out.push({ from: start, to: end });
      start = end;
    }
    return out;
  }

  async fetchWindow(request: WindowRequest, signal?: AbortSignal): Promise<WindowResult> {
    const { symbol, timeframe, from, to } = request;
    const interval = INTERVALS[timeframe];
    if (!interval) throw new SourceError(`yahoo has no ${timeframe} interval`, 'rejected');
    const query = new URLSearchParams({
      period1: String(Math.floor(from / 1000)),
      period2: String(Math.floor(to / 1000)),
      interval,
      includePrePost: 'false',
      events: 'div|split',
    });
    let chart: YahooChart;
    try {
      chart = await this.http.request(
        `/v8/finance/chart/${encodeURIComponent(symbol)}?${query}`,
        { weight: 1, priority: request.priority, signal },
        (res) => parseChart(res.body),
      );
    } catch (err) {
      // "Data doesn't exist for startDate…": the whole range precedes the listing. Nothing there.
      if (isNoDataError(err)) return { candles: [], requests: 1 };
      if (err instanceof SourceError && err.status === 404) {
        throw new SourceError(
          `Yahoo has no symbol '${symbol}': ${err.message.replace(/^Yahoo refused the request \(HTTP 404\): /, '')}; find it with 'candlekeep symbols --source yahoo --search TEXT'`,
          'rejected',
          404,
        );
      }
      throw err;
    }
    return this.toWindow(chart, request);
  }

  /** The window's closed candles on our grid, and where the market was closed. */
  private toWindow(chart: YahooChart, { symbol, timeframe, from, to }: WindowRequest): WindowResult {
    const window = { from, to };
    const now = this.clock.now();
    const { meta } = chart;
    const intraday = INTRADAY.has(timeframe);
    const sessionsBased = meta.instrumentType !== 'CRYPTOCURRENCY';
    const notBefore = meta.firstTradeMs ?? -Infinity;
    const byTs = new Map<number, Candle>();
    const unaligned: number[] = [];
    for (const bar of chart.bars) {
      const ts = intraday ? bar.ts : calendarOpen(timeframe, bar.ts, meta.exchangeTimezoneName, meta.gmtoffset);
      if (ts < from || ts >= to || nextOpen(timeframe, ts) > now || byTs.has(ts)) continue;
      // The quote's latest trade comes as an extra bar, at the session's close or outside the range.
      if (intraday && sessionsBased && chart.sessions && !inSession(bar.ts, chart.sessions)) continue;
      if (!isAligned(timeframe, ts)) {
        unaligned.push(ts);
        continue;
      }
      byTs.set(ts, { ...bar, ts });
    }
    if (unaligned.length > 1) {
      throw new SourceError(
        `Yahoo's ${timeframe} bars for ${symbol} start at ${new Date(unaligned[0]!).toISOString().slice(11, 16)} UTC, off Candlekeep's ${timeframe} grid ` +
          `(the session opens off the hour in ${meta.exchangeTimezoneName}): use 30m or 1d for ${symbol}`,
        'rejected',
      );
    }
    const candles = [...byTs.values()].sort((a, b) => a.ts - b.ts);
    if (!sessionsBased) return { candles, requests: 1 };
    let marketClosed: Range[];
    if (intraday) {
      // With no bars Yahoo sends no trading periods either: no session touched the window.
      const sessions = chart.sessions ?? (chart.bars.length || chart.nullBars ? null : []);
      marketClosed = sessions ? closedOutsideSessions(timeframe, window, sessions, notBefore) : [];
    } else {
      marketClosed = closedBetweenBars(
        timeframe,
        window,
        candles.map((c) => c.ts),
        notBefore,
      );
    }
    return { candles, marketClosed, requests: 1 };
  }

  async listInstruments(search?: string): Promise<Instrument[]> {
    const text = search?.trim();
    if (!text)
      throw new SourceError(
        'Yahoo has no list of all its symbols: pass --search TEXT (a name or ticker, e.g. --search apple)',
        'rejected',
      );
    const query = new URLSearchParams({ q: text, quotesCount: '25', newsCount: '0', listsCount: '0' });
    const quotes = await this.http.request(`/v1/finance/search?${query}`, { weight: 1 }, (res) =>
      parseSearch(res.body),
    );
    return quotes.map((q) => ({
      symbol: q.symbol,
      name: q.name,
      trading: q.quoteType === 'CRYPTOCURRENCY' ? '24/7' : 'sessions',
    }));
  }
}

function header(res: HttpResponse, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Hosts from CANDLEKEEP_YAHOO_URL (comma-separated) or the public defaults. */
export function yahooHosts(env: NodeJS.ProcessEnv = process.env): string[] {
  const listed = (env.CANDLEKEEP_YAHOO_URL ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return listed.length ? listed : YAHOO_DEFAULT_HOSTS;
}

/** Calls per minute from CANDLEKEEP_YAHOO_CALLS_PER_MIN, or the default. */
export function yahooCallsPerMinute(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.CANDLEKEEP_YAHOO_CALLS_PER_MIN);
  return Number.isFinite(n) && n > 0 ? n : YAHOO_DEFAULT_CALLS_PER_MIN;
}
