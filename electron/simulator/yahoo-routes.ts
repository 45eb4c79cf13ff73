/**
 * Yahoo Finance as the simulator serves it under /yahoo (docs/SOURCES.md "Yahoo chart"): the v8 chart endpoint with
 * its meta (timezone, trading periods in both shapes), null bars, the empty-window answer with no
 * `timestamp` key, the trailing "latest quote" bar outside the requested range, the interval lookback
 * limits, the 400/404/422 JSON error bodies and a plain-text 429; plus /v1/finance/search.
 * Regular sessions only: with includePrePost=true the pre/post periods are listed but no
 * extended-hours bars are served.
 */
import type { SimRequest, SimResponse } from './http-util.js';
import type { Clock } from '../net/clock.js';
import {
  YAHOO_CALENDAR_INTERVALS,
  YAHOO_INTRADAY_MINUTES,
  type YahooBar,
  type YahooInstrument,
} from './yahoo-truth.js';
import { newYorkOffset } from './market-calendar.js';
import { DAY_MS, MINUTE_MS } from '../../shared/timeframe.js';

export interface YahooContext {
  clock: Clock;
  symbols: Map<string, YahooInstrument>;
  /** Requests per IP per minute before a 429 (Yahoo publishes no number; generous by default). */
  limitPerMinute: number;
  usage: Map<string, { minute: number; count: number }>;
}

const VALID_INTERVALS = '[1m, 2m, 5m, 15m, 30m, 60m, 90m, 1h, 4h, 1d, 5d, 1wk, 1mo, 3mo]';
const VALID_RANGES = ['1d', '5d', '1mo', '3mo', '6mo', '1y', '2y', '5y', '10y', 'ytd', 'max'];

/** How far back (and how wide) intraday requests may reach (docs/SOURCES.md "Yahoo chart", lookback). */
function lookback(interval: string): { withinDays: number; perRequestDays?: number } | null {
  if (interval === '1m') return { withinDays: 30, perRequestDays: 7 };
  if (['2m', '5m', '15m', '30m', '90m'].includes(interval)) return { withinDays: 60 };
  if (interval === '60m' || interval === '1h') return { withinDays: 730 };
  return null;
}

function chartError(status: number, code: string, description: string): SimResponse {
  return { status, body: { chart: { result: null, error: { code, description } } } };
}

const seconds = (ms: number): number => Math.floor(ms / 1000);

function tzName(instrument: YahooInstrument, offset: number): string {
  if (!instrument.isEquity) return 'UTC';
  return offset === -4 * 3600 ? 'EDT' : 'EST';
}

function period(instrument: YahooInstrument, start: number, end: number, offset: number): object {
  return { timezone: tzName(instrument, offset), start: seconds(start), end: seconds(end), gmtoffset: offset };
}

/** Highest and lowest of `samples` prices taken evenly over [from, to). */
function extremes(instrument: YahooInstrument, from: number, to: number, samples: number): [number, number] {
  const prices = Array.from({ length: samples }, (_, i) => instrument.priceAt(from + ((to - from) * i) / samples));
  return [Math.max(...prices), Math.min(...prices)];
}

function meta(instrument: YahooInstrument, interval: string, now: number, bars: YahooBar[]): Record<string, unknown> {
  const y = instrument.asset.yahoo!;
  const offset = instrument.isEquity ? newYorkOffset(Math.floor(now / DAY_MS) * DAY_MS) : 0;
  const today = instrument.sessions(now - DAY_MS, now + 6 * DAY_MS).find((s) => s.end > now) ?? {
    start: now,
    end: now,
  };
  const marketTime = instrument.regularMarketTime(now);
  const equity = instrument.isEquity;
  const [yearHigh, yearLow] = extremes(instrument, now - 365 * DAY_MS, now, 365);
  const [dayHigh, dayLow] = extremes(instrument, Math.min(today.start, marketTime - MINUTE_MS), marketTime, 24);
  const intraday = YAHOO_INTRADAY_MINUTES[interval] !== undefined;
  return {
    currency: 'USD',
    symbol: y.symbol,
    exchangeName: equity ? (y.symbol === 'SPY' ? 'PCX' : 'NMS') : 'CCC',
    fullExchangeName: equity ? (y.symbol === 'SPY' ? 'NYSEArca' : 'NasdaqGS') : 'CCC',
    instrumentType: equity ? (y.symbol === 'SPY' ? 'ETF' : 'EQUITY') : 'CRYPTOCURRENCY',
    firstTradeDate: seconds(instrument.firstTrade),
    regularMarketTime: seconds(marketTime),
    hasPrePostMarketData: equity,
    gmtoffset: offset,
    timezone: tzName(instrument, offset),
    exchangeTimezoneName: equity ? 'America/New_York' : 'UTC',
    regularMarketPrice: instrument.priceAt(marketTime - MINUTE_MS),
    fiftyTwoWeekHigh: yearHigh,
    fiftyTwoWeekLow: yearLow,
    regularMarketDayHigh: dayHigh,
    regularMarketDayLow: dayLow,
    regularMarketVolume: Math.round(instrument.asset.baseVolume * 390),
    longName: y.name,
    shortName: y.name,
    chartPreviousClose: bars[0]?.open ?? instrument.priceAt(now - DAY_MS),
    ...(intraday ? { previousClose: instrument.priceAt(now - DAY_MS), scale: 3 } : {}),
    priceHint: 2,
    currentTradingPeriod: {
      pre: period(instrument, equity ? today.start - 5.5 * 3600_000 : today.start, today.start, offset),
      regular: period(instrument, today.start, today.end, offset),
      post: period(instrument, today.end, equity ? today.end + 4 * 3600_000 : today.end, offset),
    },
    dataGranularity: interval,
    range: '',
    validRanges: VALID_RANGES,
  };
}

function rangeStart(range: string, now: number): number | null {
  const days: Record<string, number> = {
    '1d': 1,
    '5d': 5,
    '1mo': 30,
    '3mo': 91,
    '6mo': 182,
    '1y': 365,
    '2y': 730,
    '5y': 1826,
    '10y': 3652,
  };
  if (range === 'max') return 0;
  if (range === 'ytd') return Date.UTC(new Date(now).getUTCFullYear(), 0, 1);
  return days[range] !== undefined ? now - days[range]! * DAY_MS : null;
}

function chart(ctx: YahooContext, symbol: string, q: URLSearchParams): SimResponse {
  const instrument = ctx.symbols.get(symbol.toUpperCase());
  if (!instrument) return chartError(404, 'Not Found', 'No data found, symbol may be delisted');
  const now = ctx.clock.now();
  const interval = q.get('interval') ?? '1d';
  const minutes = YAHOO_INTRADAY_MINUTES[interval];
  const calendar = (YAHOO_CALENDAR_INTERVALS as readonly string[]).includes(interval);
  if (minutes === undefined && !calendar) {
    return chartError(
      400,
      'Bad Request',
      `Invalid input - interval=${interval} is not supported. Valid intervals: ${VALID_INTERVALS}`,
    );
  }
  let from: number;
  let to: number;
  const p1 = q.get('period1');
  const range = q.get('range');
  if (p1 !== null) {
    const p2 = q.get('period2');
    if (!/^-?\d+$/.test(p1) || (p2 !== null && !/^-?\d+$/.test(p2)))
      return chartError(400, 'Bad Request', 'Invalid input - start date cannot be after end date');
    from = Number(p1) * 1000;
    to = p2 === null ? now : Number(p2) * 1000;
  } else {
    const start = rangeStart(range ?? '1mo', now);
    if (start === null)
      return chartError(
        400,
        'Bad Request',
        `Invalid input - range=${range} is not supported. Valid ranges: [${VALID_RANGES.join(', ')}]`,
      );
    from = start;
    to = now;
  }
  if (from > to) return chartError(400, 'Bad Request', 'Invalid input - start date cannot be after end date');
  const limit = lookback(interval);
  if (limit) {
    const label = `${interval} data not available for startTime=${seconds(from)} and endTime=${seconds(to)}.`;
    if (limit.perRequestDays && to - from > limit.perRequestDays * DAY_MS) {
      return chartError(
        422,
        'Unprocessable Entity',
        `${label} Only ${limit.perRequestDays} days worth of ${interval} granularity data are allowed to be fetched per request.`,
      );
    }
    if (from < now - limit.withinDays * DAY_MS) {
      return chartError(
        422,
        'Unprocessable Entity',
        `${label} The requested range must be within the last ${limit.withinDays} days.`,
      );
    }
  }
  if (to < instrument.firstTrade) {
    return chartError(
      400,
      'Bad Request',
      `Data doesn't exist for startDate = ${seconds(from)}, endDate = ${seconds(to)}`,
    );
  }

  const bars =
    minutes !== undefined
      ? instrument.intraday(minutes, from, to, now)
      : instrument.calendar(interval as (typeof YAHOO_CALENDAR_INTERVALS)[number], from, to, now);
  const result: Record<string, unknown> = { meta: meta(instrument, interval, now, bars) };
  if (!bars.length) {
    // A window with no trading: no timestamp key, an empty quote object, no trading periods.
    result.indicators = { quote: [{}] };
    return { status: 200, body: { chart: { result: [result], error: null } } };
  }
  if (minutes !== undefined) {
    // The quote's latest trade is appended as one more bar even when it lies outside the range.
    const marketTime = instrument.regularMarketTime(now);
    if (marketTime > bars[bars.length - 1]!.ts + minutes * MINUTE_MS) {
      const price = instrument.priceAt(marketTime - MINUTE_MS);
      bars.push({ ts: marketTime, open: price, high: price, low: price, close: price, volume: 0 });
    }
    // Like the recording, the periods list the days around the range too.
    const sessions = instrument.sessions(from - DAY_MS, to + DAY_MS);
    const regular = sessions.map((s) => [period(instrument, s.start, s.end, s.gmtoffset)]);
    const m = result.meta as Record<string, unknown>;
    m.tradingPeriods =
      q.get('includePrePost') === 'true'
        ? {
            pre: sessions.map((s) => [
              period(instrument, instrument.isEquity ? s.start - 5.5 * 3600_000 : s.start, s.start, s.gmtoffset),
            ]),
            regular,
            post: sessions.map((s) => [
              period(instrument, s.end, instrument.isEquity ? s.end + 4 * 3600_000 : s.end, s.gmtoffset),
            ]),
          }
        : regular;
  }
  result.timestamp = bars.map((b) => seconds(b.ts));
  result.indicators = {
    quote: [
      {
        open: bars.map((b) => b.open),
        high: bars.map((b) => b.high),
        low: bars.map((b) => b.low),
        close: bars.map((b) => b.close),
        volume: bars.map((b) => b.volume),
      },
    ],
    ...(calendar ? { adjclose: [{ adjclose: bars.map((b) => b.close) }] } : {}),
  };
  return { status: 200, body: { chart: { result: [result], error: null } } };
}

function search(ctx: YahooContext, q: URLSearchParams): SimResponse {
  const text = (q.get('q') ?? '').trim().toLowerCase();
  const quotes = [...ctx.symbols.values()]
    .filter((i) => text && (i.symbol.toLowerCase().includes(text) || i.asset.yahoo!.name.toLowerCase().includes(text)))
    .map((i) => ({
      exchange: i.isEquity ? 'NMS' : 'CCC',
      shortname: i.asset.yahoo!.name,
      quoteType: i.isEquity ? 'EQUITY' : 'CRYPTOCURRENCY',
      symbol: i.symbol,
      index: 'quotes',
      typeDisp: i.isEquity ? 'Equity' : 'Cryptocurrency',
      longname: i.asset.yahoo!.name,
      isYahooFinance: true,
    }));
  return {
    status: 200,
    body: {
      explains: [],
      count: quotes.length,
      quotes,
      news: [],
      nav: [],
      lists: [],
      researchReports: [],
      totalTime: 12,
    },
  };
}

/** Answer one request below /yahoo. */
export function handleYahoo(ctx: YahooContext, req: SimRequest, ip: string): { response: SimResponse; weight: number } {
  const minute = Math.floor(ctx.clock.now() / MINUTE_MS);
  const usage = ctx.usage.get(ip);
  const count = usage && usage.minute === minute ? usage.count + 1 : 1;
  ctx.usage.set(ip, { minute, count });
  // Yahoo's edge answers a throttled client in plain text, not JSON (docs/SOURCES.md "Yahoo chart", errors).
  if (count > ctx.limitPerMinute) return { weight: 1, response: { status: 429, body: 'Too Many Requests' } };
  if (req.method !== 'GET') return { weight: 1, response: { status: 405, body: '' } };
  const match = /^\/v8\/finance\/chart\/([^/]+)$/.exec(req.path);
  if (match) return { weight: 1, response: chart(ctx, decodeURIComponent(match[1]!), req.query) };
  if (req.path === '/v1/finance/search') return { weight: 1, response: search(ctx, req.query) };
  return { weight: 1, response: { status: 404, body: '' } };
}
