/**
 * Binance spot klines (docs/SOURCES.md "Binance klines"): windows of at most 1000 candles, each fetched with
 * startTime/endTime so a short page never hides a hole; the still-forming candle is dropped. Every
 * request goes through the shared budget, host pool and circuit breaker (net/source-http.ts).
 */
import type { Clock } from '../net/clock.js';
import type { HttpResponse } from '../net/http-client.js';
import type { Network } from '../net/network.js';
import type { SourceHttp } from '../net/source-http.js';
import { TIMEFRAMES, type Timeframe, candleCount, nextOpen, ceilToTimeframe } from '../../shared/timeframe.js';
import { binanceError } from './binance-wire.js';
import { sharedKlinePageParser } from './kline-pages.js';
import { BINANCE_DEFAULT_HOSTS } from '../../shared/settings.js';
import {
  SourceError,
  type Instrument,
  type Range,
  type Source,
  type SourceCapabilities,
  type WindowRequest,
  type WindowResult,
} from './source.js';

/** Documented request weights and the default IP limit (docs/SOURCES.md "Binance weights and bans"). */
export const BINANCE_WEIGHT = { klines: 2, exchangeInfo: 20, ping: 1 } as const;
export const BINANCE_DEFAULT_LIMIT = { limit: 6000, windowMs: 60_000 };
const MAX_LIMIT = 1000;
const SYMBOL_PATTERN = /^[A-Z0-9\-_.]{1,20}$/;

export interface BinanceOptions {
  /** Equivalent base URLs without /api/v3, e.g. https://api.binance.com or http://127.0.0.1:N/binance. */
  hosts: string[];
  clock: Clock;
  network: Network;
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
    requestWeight: BINANCE_WEIGHT.klines,
  };

  private readonly http: SourceHttp;

  constructor(private readonly options: BinanceOptions) {
    this.http = options.network.http({
      source: this.id,
      // Binance counts weight per IP across all its API hosts, so they share one budget.
      budgetKey: 'binance',
      budget: BINANCE_DEFAULT_LIMIT,
      hosts: options.hosts,
      probePath: '/api/v3/ping',
      probeWeight: BINANCE_WEIGHT.ping,
      usedWeightHeader: 'x-mbx-used-weight-1m',
      toError: (res) => binanceError(res.status, res.body, header(res, 'retry-after')),
      timeoutMs: options.timeoutMs,
    });
  }

  normalizeSymbol(symbol: string): string {
    const upper = symbol.trim().toUpperCase();
    if (!SYMBOL_PATTERN.test(upper)) {
      throw new SourceError(
        `invalid Binance symbol '${symbol}': use the pair without separators, e.g. BTCUSDT`,
        'rejected',
      );
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

  /** Adopt the limit the server publishes in exchangeInfo.rateLimits (once per process). */
  private async syncLimits(signal?: AbortSignal): Promise<void> {
    const flag = `binance:limits`;
    if (this.options.network.done.has(flag)) return;
    this.options.network.done.add(flag);
    await this.http
      .request('/api/v3/exchangeInfo?symbol=BTCUSDT', { weight: BINANCE_WEIGHT.exchangeInfo, signal }, (res) =>
        this.adoptLimits(res.body),
      )
      .catch(() => this.options.network.done.delete(flag));
  }

  private adoptLimits(body: string): void {
    const info = parseJson(body, 'exchangeInfo') as {
      rateLimits?: Array<{ rateLimitType: string; interval: string; intervalNum: number; limit: number }>;
    };
    const unitMs: Record<string, number> = { SECOND: 1_000, MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000 };
    const weight = info.rateLimits?.find((r) => r.rateLimitType === 'REQUEST_WEIGHT' && unitMs[r.interval]);
    if (weight) this.http.budget.setLimit(weight.limit, weight.intervalNum * unitMs[weight.interval]!);
  }

  async fetchWindow(request: WindowRequest, signal?: AbortSignal): Promise<WindowResult> {
    const { symbol, timeframe, from, to } = request;
    const limit = Math.min(MAX_LIMIT, candleCount(timeframe, from, to));
    sharedKlinePageParser.expect(limit);
    await this.syncLimits(signal);
    const query = new URLSearchParams({
      symbol,
      interval: timeframe,
      startTime: String(from),
      endTime: String(to - 1),
      limit: String(limit),
    });
    const page = await this.http.request(
      `/api/v3/klines?${query}`,
      { weight: BINANCE_WEIGHT.klines, priority: request.priority, signal },
      (res) => sharedKlinePageParser.parse(res.bytes),
    );
    // Every row is passed on, with its wire form: a forming candle, one outside the window or an
    // invalid one is the server's error, quarantined by validation (engine/validate.ts), never silently
    // dropped. Candles and wire rows are built only if asked for (a valid page is stored packed).
    return {
      get candles() {
        return page.candles;
      },
      get raw() {
        return page.rows;
      },
      packed: page.packed,
      requests: 1,
    };
  }

  async listInstruments(search?: string): Promise<Instrument[]> {
    const info = await this.http.request('/api/v3/exchangeInfo', { weight: BINANCE_WEIGHT.exchangeInfo }, (res) => {
      this.adoptLimits(res.body);
      return parseJson(res.body, 'exchangeInfo') as {
        symbols?: Array<{ symbol: string; baseAsset: string; quoteAsset: string; status: string }>;
      };
    });
    const needle = search?.trim().toUpperCase();
    return (info.symbols ?? [])
      .filter((s) => !needle || s.symbol.includes(needle) || s.baseAsset === needle)
      .map((s) => ({
        symbol: s.symbol,
        base: s.baseAsset,
        quote: s.quoteAsset,
        name: `${s.baseAsset}/${s.quoteAsset}`,
      }));
  }
}

function header(res: HttpResponse, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseJson(body: string, what: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new SourceError(`Binance sent a malformed ${what} response`, 'malformed');
  }
}

/** Hosts from CANDLEKEEP_BINANCE_URL (a comma-separated list) or the public defaults. */
export function binanceHosts(env: NodeJS.ProcessEnv = process.env): string[] {
  const listed = (env.CANDLEKEEP_BINANCE_URL ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return listed.length ? listed : BINANCE_DEFAULT_HOSTS;
}
