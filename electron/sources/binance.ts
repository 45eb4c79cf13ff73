/**
 * Binance spot klines (API-NOTES.md §1): windows of at most 1000 candles, each fetched with
 * startTime/endTime so a short page never hides a hole; the still-forming candle is dropped.
 */
import type { Clock } from '../engine/clock.js';
import { httpGet, NetworkError, type HttpResponse } from '../engine/http-client.js';
import { TIMEFRAMES, type Timeframe, candleCount, nextOpen, ceilToTimeframe } from '../../shared/timeframe.js';
import { binanceError, parseKlines } from './binance-wire.js';
import { SourceError, type Instrument, type Range, type Source, type SourceCapabilities, type WindowRequest, type WindowResult } from './source.js';

export const BINANCE_DEFAULT_URL = 'https://api.binance.com';
const MAX_LIMIT = 1000;
const SYMBOL_PATTERN = /^[A-Z0-9\-_.]{1,20}$/;

export interface BinanceOptions {
  /** Base URL without /api/v3, e.g. https://api.binance.com or http://127.0.0.1:N/binance. */
  baseUrl: string;
  clock: Clock;
  timeoutMs?: number;
}

export class BinanceSource implements Source {
  readonly id = 'binance';
  readonly capabilities: SourceCapabilities = {
    timeframes: [...TIMEFRAMES],
    maxCandlesPerRequest: MAX_LIMIT,
    lookbackMs: {},
    hasVolume: true,
    trading: '24/7',
  };

  constructor(private readonly options: BinanceOptions) {}

  normalizeSymbol(symbol: string): string {
    const upper = symbol.trim().toUpperCase();
    if (!SYMBOL_PATTERN.test(upper)) {
      throw new SourceError(`invalid Binance symbol '${symbol}': use the pair without separators, e.g. BTCUSDT`, 'rejected');
    }
    return upper;
  }

  windows(timeframe: Timeframe, from: number, to: number): Range[] {
    const out: Range[] = [];
    let start = ceilToTimeframe(timeframe, from);
    while (start < to) {
      let end = start;
      for (let n = 0; n < MAX_LIMIT && end < to; n++) end = nextOpen(timeframe, end);
      out.push({ from: start, to: Math.min(end, to) });
      start = end;
    }
    return out;
  }

  private async get(path: string, signal?: AbortSignal): Promise<HttpResponse> {
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}${path}`;
    try {
      return await httpGet(url, { timeoutMs: this.options.timeoutMs ?? 15_000, signal });
    } catch (err) {
      if (err instanceof NetworkError) throw new SourceError(`Binance unreachable: ${err.message}`, 'unavailable');
      throw err;
    }
  }

  async fetchWindow(request: WindowRequest, signal?: AbortSignal): Promise<WindowResult> {
    const { symbol, timeframe, from, to } = request;
    const limit = Math.min(MAX_LIMIT, candleCount(timeframe, from, to));
    const query = new URLSearchParams({
      symbol, interval: timeframe, startTime: String(from), endTime: String(to - 1), limit: String(limit),
    });
    const res = await this.get(`/api/v3/klines?${query}`, signal);
    if (res.status !== 200) throw binanceError(res.status, res.body, header(res, 'retry-after'));
    const now = this.options.clock.now();
    // A candle is final only once its close time has passed; the forming one is never stored.
    const candles = parseKlines(res.body).filter((k) => k.ts >= from && k.ts < to && k.closeTime < now);
    return { candles: candles.map(({ closeTime: _closeTime, ...c }) => c), requests: 1 };
  }

  async listInstruments(search?: string): Promise<Instrument[]> {
    const res = await this.get('/api/v3/exchangeInfo');
    if (res.status !== 200) throw binanceError(res.status, res.body, header(res, 'retry-after'));
    let info: { symbols?: Array<{ symbol: string; baseAsset: string; quoteAsset: string; status: string }> };
    try {
      info = JSON.parse(res.body);
    } catch {
      throw new SourceError('Binance sent a malformed exchangeInfo response', 'malformed');
    }
    const needle = search?.trim().toUpperCase();
    return (info.symbols ?? [])
      .filter((s) => !needle || s.symbol.includes(needle) || s.baseAsset === needle)
      .map((s) => ({ symbol: s.symbol, base: s.baseAsset, quote: s.quoteAsset, name: `${s.baseAsset}/${s.quoteAsset}` }));
  }
}

function header(res: HttpResponse, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Base URL from CANDLEKEEP_BINANCE_URL (first entry if it is a list) or the public default. */
export function binanceBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.CANDLEKEEP_BINANCE_URL ?? '').split(',').map((s) => s.trim()).find(Boolean) ?? BINANCE_DEFAULT_URL;
}
