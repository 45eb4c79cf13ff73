/**
 * The Binance spot REST API as the simulator serves it under /binance: klines, uiKlines,
 * exchangeInfo, time, ping, in the real wire format, weights and error bodies (docs/SOURCES.md "Binance
 * klines" to "Binance errors").
 */
import type { SimRequest, SimResponse } from './http-util.js';
import { fixed } from './http-util.js';
import type { VenueTruth, TruthCandle } from './truth.js';
import type { BinanceBudget } from './binance-budget.js';
import type { Clock } from '../net/clock.js';
import { isTimeframe, nextOpen, timeframeMs, type Timeframe } from '../../shared/timeframe.js';

/** Documented request weights (docs/SOURCES.md "Binance weights and bans"). */
export const BINANCE_WEIGHTS: Record<string, number> = {
  '/api/v3/klines': 2,
  '/api/v3/uiKlines': 2,
  '/api/v3/exchangeInfo': 20,
  '/api/v3/time': 1,
  '/api/v3/ping': 1,
};

const SYMBOL_RANGE = '^[A-Z0-9-_.]{1,20}$';
const NUMBER_RANGE = '^[0-9]{1,20}$';

export interface BinanceContext {
  clock: Clock;
  budget: BinanceBudget;
  symbols: Map<string, VenueTruth>;
}

/** The simulator's answer plus the weight the request cost. */
export interface BinanceResult {
  response: SimResponse;
  weight: number;
  note?: string;
}

function error(status: number, code: number, msg: string): SimResponse {
  return { status, body: { code, msg } };
}

const mandatory = (name: string): SimResponse =>
  error(400, -1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`);
const illegal = (name: string, range: string): SimResponse =>
  error(400, -1100, `Illegal characters found in parameter '${name}'; legal range is '${range}'.`);

/** Parse an optional LONG parameter; microsecond values are accepted and converted to ms. */
function parseTime(query: URLSearchParams, name: string): number | undefined | SimResponse {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^[0-9]{1,20}$/.test(raw)) return illegal(name, NUMBER_RANGE);
  const value = Number(raw);
  return value >= 1e14 ? Math.floor(value / 1000) : value;
}

/**
 * Serialized rows of closed candles never change, so they are kept (bounded) and reused: the
 * simulator must answer faster than any client ingests, as a real exchange does.
 */
const OPEN_BRACKET = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE_BRACKET = Buffer.from(']');
const rowCaches = new WeakMap<VenueTruth, Map<Timeframe, Map<number, Buffer>>>();

function cachedRow(truth: VenueTruth, c: TruthCandle, tf: Timeframe): Buffer {
  // A revised or diverged candle changes with simulator time: never served from the cache.
  if (!c.closed || truth.edits.touches(c.openTime, nextOpen(tf, c.openTime)))
    return Buffer.from(klineRow(c, tf, truth.priceDecimals));
  let byTf = rowCaches.get(truth);
  if (!byTf) rowCaches.set(truth, (byTf = new Map()));
  let cache = byTf.get(tf);
  if (!cache) byTf.set(tf, (cache = new Map()));
  const key = c.openTime;
  let row = cache.get(key);
  if (row === undefined) {
    row = ownedBytes(klineRow(c, tf, truth.priceDecimals));
    // The default holds above a year of 1m candles: a backfill of a year scans more rows than a smaller
    // cache holds, and each pass would clear it before any row is asked for again.
    if (cache.size >= truth.cacheLimits.rows) cache.clear();
    cache.set(key, row);
  }
  return row;
}

/**
 * A row's bytes in a buffer of its own. `Buffer.from` of a short string slices Node's shared 8 KiB
 * pool, and a cached slice pins its whole slab: a cache cleared and refilled over days of simulated
 * time would end up holding a slab per row, tens of MB that look like the client's memory in a soak.
 */
function ownedBytes(text: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text, 'latin1'));
  bytes.write(text, 'latin1');
  return bytes;
}

/**
 * Whole answers of full pages of closed candles, for repeated backfills of the same history (a
 * benchmark's warm-up and measured runs): the client's work is what is measured, and a real exchange
 * costs the client's machine nothing. Bounded by bytes (VenueTruth.cacheLimits); a page an edit
 * touches is never reused.
 */
interface CachedPage {
  json: Buffer;
  from: number;
  to: number;
}
const pageCaches = new WeakMap<VenueTruth, { bytes: number; pages: Map<string, CachedPage> }>();

function cachedPage(truth: VenueTruth, key: string): Buffer | null {
  const page = pageCaches.get(truth)?.pages.get(key);
  return page && !truth.edits.touches(page.from, page.to) ? page.json : null;
}

function keepPage(truth: VenueTruth, key: string, rows: TruthCandle[], tf: Timeframe, json: Buffer): void {
  const from = rows[0]!.openTime;
  const to = nextOpen(tf, rows[rows.length - 1]!.openTime);
  if (!rows.every((c) => c.closed) || truth.edits.touches(from, to)) return;
  let cache = pageCaches.get(truth);
  if (!cache) pageCaches.set(truth, (cache = { bytes: 0, pages: new Map() }));
  if (cache.bytes + json.length > truth.cacheLimits.pageBytes) ((cache.pages = new Map()), (cache.bytes = 0));
  if (json.length > truth.cacheLimits.pageBytes) return;
  cache.pages.set(key, { json, from, to });
  cache.bytes += json.length;
}

/** A kline's values as Binance writes them, shared by the REST rows, the archives and the streams. */
export interface KlineValues {
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
  closeTime: number;
  quoteVolume: string;
  trades: number;
  takerBase: string;
  takerQuote: string;
}

export function klineValues(c: TruthCandle, tf: Timeframe, decimals: number): KlineValues {
  const avgPrice = (c.open + c.close) / 2 / 10 ** decimals;
  const takerBase = Math.floor(c.volume * 0.52);
  return {
    open: fixed(c.open, decimals),
    high: fixed(c.high, decimals),
    low: fixed(c.low, decimals),
    close: fixed(c.close, decimals),
    volume: fixed(c.volume, 8),
    closeTime: nextOpen(tf, c.openTime) - 1,
    quoteVolume: ((c.volume / 1e8) * avgPrice).toFixed(8),
    trades: c.trades,
    takerBase: fixed(takerBase, 8),
    takerQuote: ((takerBase / 1e8) * avgPrice).toFixed(8),
  };
}

/** One kline as the REST API sends it; also the source of the archive CSV rows (archive-content.ts). */
export function klineRow(c: TruthCandle, tf: Timeframe, decimals: number): string {
  const v = klineValues(c, tf, decimals);
  return `[${c.openTime},"${v.open}","${v.high}","${v.low}","${v.close}","${v.volume}",${v.closeTime},"${v.quoteVolume}",${v.trades},"${v.takerBase}","${v.takerQuote}","0"]`;
}

function klines(ctx: BinanceContext, query: URLSearchParams): SimResponse {
  const symbol = query.get('symbol');
  if (!symbol) return mandatory('symbol');
  if (!new RegExp(SYMBOL_RANGE).test(symbol)) return illegal('symbol', SYMBOL_RANGE);
  const interval = query.get('interval');
  if (!interval) return mandatory('interval');
  if (!isTimeframe(interval)) return error(400, -1120, 'Invalid interval.');
  const truth = ctx.symbols.get(symbol);
  if (!truth) return error(400, -1121, 'Invalid symbol.');
  const rawLimit = query.get('limit');
  let limit = 500;
  if (rawLimit !== null && rawLimit !== '') {
    if (!/^[0-9]{1,20}$/.test(rawLimit)) return illegal('limit', NUMBER_RANGE);
    limit = Number(rawLimit);
    if (limit < 1) return error(400, -1130, "Data sent for parameter 'limit' is not valid.");
    // Spot documents a maximum of 1000; larger values are served as 1000.
    limit = Math.min(limit, 1000);
  }
  const start = parseTime(query, 'startTime');
  if (typeof start === 'object') return start;
  const end = parseTime(query, 'endTime');
  if (typeof end === 'object') return end;

  const now = ctx.clock.now();
  const pageKey = start !== undefined ? `${interval}:${start}:${end ?? ''}:${limit}` : null;
  const cached = pageKey ? cachedPage(truth, pageKey) : null;
  if (cached) return { status: 200, body: null, json: cached };
  let rows: TruthCandle[];
  if (start !== undefined) {
    rows = start > (end ?? Infinity) ? [] : truth.range(interval, start, end ?? now, limit, now);
  } else {
    // No startTime: the most recent `limit` rows up to endTime (or now).
    const until = Math.min(end ?? now, now);
    const lookback = Math.min(until, 2 * limit * timeframeMs(interval));
    rows = truth.range(interval, until - lookback, until, Number.MAX_SAFE_INTEGER, now).slice(-limit);
  }
  const parts: Buffer[] = [OPEN_BRACKET];
  rows.forEach((c, i) => {
    if (i) parts.push(COMMA);
    parts.push(cachedRow(truth, c, interval));
  });
  parts.push(CLOSE_BRACKET);
  const json = Buffer.concat(parts);
  if (pageKey && rows.length === limit) keepPage(truth, pageKey, rows, interval, json);
  return { status: 200, body: null, json };
}

function symbolInfo(truth: VenueTruth): object {
  const b = truth.asset.binance!;
  const tick = fixed(1, truth.priceDecimals);
  return {
    symbol: b.symbol,
    status: 'TRADING',
    baseAsset: b.base,
    baseAssetPrecision: 8,
    quoteAsset: b.quote,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'],
    icebergAllowed: true,
    ocoAllowed: true,
    otoAllowed: true,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: true,
    cancelReplaceAllowed: true,
    amendAllowed: true,
    pegInstructionsAllowed: true,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: tick, maxPrice: '1000000.00000000', tickSize: tick },
      { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' },
      { filterType: 'ICEBERG_PARTS', limit: 10 },
      { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: '100.00000000', stepSize: '0.00000000' },
      {
        filterType: 'TRAILING_DELTA',
        minTrailingAboveDelta: 10,
        maxTrailingAboveDelta: 2000,
        minTrailingBelowDelta: 10,
        maxTrailingBelowDelta: 2000,
      },
      {
        filterType: 'PERCENT_PRICE_BY_SIDE',
        bidMultiplierUp: '5',
        bidMultiplierDown: '0.2',
        askMultiplierUp: '5',
        askMultiplierDown: '0.2',
        avgPriceMins: 5,
      },
      {
        filterType: 'NOTIONAL',
        minNotional: '5.00000000',
        applyMinToMarket: true,
        maxNotional: '9000000.00000000',
        applyMaxToMarket: false,
        avgPriceMins: 5,
      },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: 5 },
    ],
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
    allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
  };
}

function exchangeInfo(ctx: BinanceContext, query: URLSearchParams): SimResponse {
  let wanted: string[] | null = null;
  const one = query.get('symbol');
  const many = query.get('symbols');
  if (one) wanted = [one];
  else if (many) {
    try {
      const parsed: unknown = JSON.parse(many);
      if (!Array.isArray(parsed)) throw new Error('not an array');
      wanted = parsed.map(String);
    } catch {
      return illegal('symbols', SYMBOL_RANGE);
    }
  }
  if (wanted?.some((s) => !ctx.symbols.has(s))) return error(400, -1121, 'Invalid symbol.');
  const truths = wanted ? wanted.map((s) => ctx.symbols.get(s)!) : [...ctx.symbols.values()];
  return {
    status: 200,
    body: {
      timezone: 'UTC',
      serverTime: ctx.clock.now(),
      rateLimits: [
        { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: ctx.budget.limitPerMinute },
        { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
        { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
        { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 300000 },
      ],
      exchangeFilters: [],
      symbols: truths.map(symbolInfo),
    },
  };
}

/** Answer one request below /binance, charging its weight to the client's IP. */
export function handleBinance(ctx: BinanceContext, req: SimRequest, ip: string): BinanceResult {
  const weight = BINANCE_WEIGHTS[req.path] ?? 1;
  const verdict = ctx.budget.charge(ip, weight);
  const usedHeaders = { 'X-MBX-USED-WEIGHT-1M': String(verdict.used) };
  if (verdict.kind === 'banned') {
    return {
      weight: 0,
      response: {
        status: 418,
        headers: { ...usedHeaders, 'Retry-After': String(verdict.retryAfterSec) },
        body: {
          code: -1003,
          msg: `Way too much request weight used; IP banned until ${verdict.until}. Please use WebSocket Streams for live updates to avoid bans.`,
        },
      },
    };
  }
  if (verdict.kind === 'limited') {
    return {
      weight,
      note: verdict.inFlight ? 'in_flight_after_429' : verdict.storm ? 'rate_limit_storm' : 'rate_limited',
      response: {
        status: 429,
        headers: { ...usedHeaders, 'Retry-After': String(verdict.retryAfterSec) },
        body: {
          code: -1003,
          msg: `Too much request weight used; current limit is ${ctx.budget.limitPerMinute} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.`,
        },
      },
    };
  }
  let response: SimResponse;
  if (req.method !== 'GET') response = { status: 405, body: '' };
  else if (req.path === '/api/v3/klines' || req.path === '/api/v3/uiKlines') response = klines(ctx, req.query);
  else if (req.path === '/api/v3/exchangeInfo') response = exchangeInfo(ctx, req.query);
  else if (req.path === '/api/v3/time') response = { status: 200, body: { serverTime: ctx.clock.now() } };
  else if (req.path === '/api/v3/ping') response = { status: 200, body: {} };
  else response = { status: 404, body: '' };
  return { weight, response: { ...response, headers: { ...response.headers, ...usedHeaders } } };
}
