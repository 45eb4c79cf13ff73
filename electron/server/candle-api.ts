/**
 * The local candle API: Binance's spot market-data endpoints answered from the database, read-only,
 * so ccxt, freqtrade and scripts can read stored candles by pointing their Binance base URL at
 * `serve` (GET /api/v3/klines, uiKlines, exchangeInfo, time, ping). Parameters, selection rules and
 * error bodies follow the real API (docs/SOURCES.md "Binance klines", "Binance errors") and the simulator
 * that mimics it: limit default 500, at most 1000; startTime alone gives the oldest rows from it, endTime
 * alone the newest up to it;
 * -1102 for a missing parameter, -1100 for illegal characters, -1120 for an interval, -1121 for a
 * symbol Candlekeep does not store. Fields Candlekeep does not keep (quote volume, trades, taker
 * volumes) are "0".
 */
import type { Store } from '../store/store.js';
import type { Clock } from '../net/clock.js';
import type { Candle } from '../../shared/domain.js';
import { isTimeframe, nextOpen, type Timeframe } from '../../shared/timeframe.js';
import { binanceExchangeInfo } from './candle-api-info.js';
import type { ApiAnswer } from './read-protocol.js';

const SYMBOL_RANGE = '^[A-Z0-9-_.]{1,20}$';
const NUMBER_RANGE = '^[0-9]{1,20}$';

interface Answer {
  status: number;
  body: unknown;
}

const error = (status: number, code: number, msg: string): Answer => ({ status, body: { code, msg } });
const mandatory = (name: string): Answer =>
  error(400, -1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`);
const illegal = (name: string, range: string): Answer =>
  error(400, -1100, `Illegal characters found in parameter '${name}'; legal range is '${range}'.`);

/** An optional LONG parameter in ms (microseconds are accepted, as Binance does). */
function time(query: URLSearchParams, name: string): number | undefined | Answer {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^[0-9]{1,20}$/.test(raw)) return illegal(name, NUMBER_RANGE);
  const value = Number(raw);
  return value >= 1e14 ? Math.floor(value / 1000) : value;
}

/** Binance's 8-decimal strings where they hold the stored double exactly; the shortest exact form otherwise. */
function decimal(n: number | null): string {
  if (n === null) return '0';
  const fixed = n.toFixed(8);
  return Number(fixed) === n ? fixed : String(n);
}

function row(c: Candle, tf: Timeframe): unknown[] {
  return [
    c.ts,
    decimal(c.open),
    decimal(c.high),
    decimal(c.low),
    decimal(c.close),
    decimal(c.volume),
    nextOpen(tf, c.ts) - 1,
    '0',
    0,
    '0',
    '0',
    '0',
  ];
}

export class CandleApi {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  private series(symbol: string): Array<{ id: number; timeframe: Timeframe }> {
    return this.store.db
      .prepare("SELECT id, timeframe FROM series WHERE source = 'binance' AND symbol = ?")
      .all(symbol) as Array<{ id: number; timeframe: Timeframe }>;
  }

  klines(query: URLSearchParams): Answer {
    const symbol = query.get('symbol');
    if (!symbol) return mandatory('symbol');
    if (!new RegExp(SYMBOL_RANGE).test(symbol)) return illegal('symbol', SYMBOL_RANGE);
    const interval = query.get('interval');
    if (!interval) return mandatory('interval');
    if (!isTimeframe(interval)) return error(400, -1120, 'Invalid interval.');
    const stored = this.series(symbol);
    if (!stored.length) return error(400, -1121, 'Invalid symbol.');
    // Only the timeframes Candlekeep keeps can be served; any other is, here, an invalid interval.
    const series = stored.find((s) => s.timeframe === interval);
    if (!series) return error(400, -1120, 'Invalid interval.');
    let limit = 500;
    const rawLimit = query.get('limit');
    if (rawLimit !== null && rawLimit !== '') {
      if (!/^[0-9]{1,20}$/.test(rawLimit)) return illegal('limit', NUMBER_RANGE);
      limit = Number(rawLimit);
      if (limit < 1) return error(400, -1130, "Data sent for parameter 'limit' is not valid.");
      limit = Math.min(limit, 1000);
    }
    const start = time(query, 'startTime');
    if (typeof start === 'object') return start;
    const end = time(query, 'endTime');
    if (typeof end === 'object') return end;
    const columns = 'ts, open, high, low, close, volume';
    let candles: Candle[];
    if (start !== undefined) {
      candles = this.store.db
        .prepare(`SELECT ${columns} FROM candles WHERE series_id = ? AND ts >= ? AND ts <= ? ORDER BY ts LIMIT ?`)
        .all(series.id, start, end ?? Number.MAX_SAFE_INTEGER, limit) as Candle[];
    } else {
      // No startTime: the most recent `limit` rows up to endTime (or now).
      candles = this.store.db
        .prepare(
          `SELECT * FROM (SELECT ${columns} FROM candles WHERE series_id = ? AND ts <= ? ORDER BY ts DESC LIMIT ?) AS latest ORDER BY ts`,
        )
        .all(series.id, end ?? this.clock.now(), limit) as Candle[];
    }
    return { status: 200, body: candles.map((c) => row(c, interval)) };
  }

  exchangeInfo(query: URLSearchParams): Answer {
    const symbols = (
      this.store.db
        .prepare("SELECT DISTINCT symbol FROM series WHERE source = 'binance' ORDER BY symbol")
        .all() as Array<{ symbol: string }>
    ).map((r) => r.symbol);
    let wanted = symbols;
    const one = query.get('symbol');
    const many = query.get('symbols');
    if (one || many) {
      try {
        wanted = one ? [one] : (JSON.parse(many!) as unknown[]).map(String);
      } catch {
        return illegal('symbols', SYMBOL_RANGE);
      }
      if (wanted.some((s) => !symbols.includes(s))) return error(400, -1121, 'Invalid symbol.');
    }
    return { status: 200, body: binanceExchangeInfo(wanted, this.clock.now()) };
  }

  answer(method: string, path: string, query: URLSearchParams): Answer {
    if (method !== 'GET') return error(405, -1000, 'The local candle API is read-only: use GET.');
    switch (path) {
      case '/api/v3/klines':
      case '/api/v3/uiKlines':
        return this.klines(query);
      case '/api/v3/exchangeInfo':
        return this.exchangeInfo(query);
      case '/api/v3/time':
        return { status: 200, body: { serverTime: this.clock.now() } };
      case '/api/v3/ping':
        return { status: 200, body: {} };
      default:
        return { status: 404, body: '' };
    }
  }

  /** The answer as it goes on the wire: the JSON text, or Binance's unknown-error body when reading failed. */
  respond(method: string, path: string, query: URLSearchParams): ApiAnswer {
    let out: Answer;
    try {
      out = this.answer(method, path, query);
    } catch (err) {
      out = error(500, -1000, `An unknown error occurred while processing the request: ${(err as Error).message}`);
    }
    return { status: out.status, body: typeof out.body === 'string' ? out.body : JSON.stringify(out.body) };
  }
}
