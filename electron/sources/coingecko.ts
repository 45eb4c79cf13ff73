/**
 * CoinGecko (docs/SOURCES.md, the CoinGecko sections). Series symbols are `<coin id>/<vs currency>`,
 * e.g. `bitcoin/usd`.
 * - 30m and 4h: CoinGecko's own /ohlc candles. /ohlc takes only `days` (1, 7, 14, 30, ... back from
 *   now) and picks the candle size from it (1-2 days: 30 min, 3-30 days: 4 h, more: 4 days, which is
 *   none of our timeframes); so 30m reaches back 1 day and 4h 30 days. Rows are stamped at the
 *   candle's close and carry no volume: stored at the open time with volume null.
 * - 1d: built from /market_chart/range prices, asked ≤ 90 days at a time so they come hourly:
 *   open = first price of the UTC day, close = last, high/low = extremes of those prices, volume null.
 *   Its `total_volumes` is a rolling 24-hour figure, not a day's volume, so it is never stored.
 * - Keyless and demo keys (header x-cg-demo-api-key, api.coingecko.com) see the past 365 days; a pro
 *   key (x-cg-pro-api-key, pro-api.coingecko.com) the full history. Keys never reach logs or errors.
 */
import type { Clock } from '../net/clock.js';
import type { HttpResponse } from '../net/http-client.js';
import type { Network } from '../net/network.js';
import type { SourceHttp } from '../net/source-http.js';
import type { Candle } from '../../shared/domain.js';
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  ceilToTimeframe,
  floorToTimeframe,
  isAligned,
  nextOpen,
  type Timeframe,
} from '../../shared/timeframe.js';
import { coingeckoError, parseCoinsList, parseMarketChart, parseOhlc, type ChartPoint } from './coingecko-wire.js';
import {
  SourceError,
  type Instrument,
  type Range,
  type Source,
  type SourceCapabilities,
  type WindowRequest,
  type WindowResult,
} from './source.js';

export const COINGECKO_PUBLIC_URL = 'https://api.coingecko.com/api/v3';
export const COINGECKO_PRO_URL = 'https://pro-api.coingecko.com/api/v3';
/** Conservative calls per minute by plan (keyless is shared per IP); override: CANDLEKEEP_COINGECKO_CALLS_PER_MIN. */
export const COINGECKO_CALLS_PER_MIN = { keyless: 10, demo: 30, pro: 500 } as const;

export type CoinGeckoPlan = keyof typeof COINGECKO_CALLS_PER_MIN;

/** /ohlc `days` values per timeframe, smallest first (the allowed enum: 1 7 14 30 90 180 365 max). */
const OHLC_DAYS: Partial<Record<Timeframe, number[]>> = { '30m': [1], '4h': [7, 14, 30] };
/** market_chart/range answers hourly for 2 to 90 days, daily beyond: one request stays within 90. */
const CHART_WINDOW_MS = 90 * DAY_MS;
const DEMO_HISTORY_MS = 365 * DAY_MS;
const ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const VS_PATTERN = /^[a-z]{2,10}$/;

export interface CoinGeckoOptions {
  /** Base URL including /api/v3 (e.g. https://api.coingecko.com/api/v3 or http://127.0.0.1:N/coingecko/api/v3). */
  baseUrl: string;
  plan: CoinGeckoPlan;
  /** Demo or pro key, per `plan`. */
  apiKey?: string;
  clock: Clock;
  network: Network;
  callsPerMinute?: number;
  timeoutMs?: number;
}

export class CoinGeckoSource implements Source {
  readonly id = 'coingecko';
  readonly capabilities: SourceCapabilities;
  private readonly http: SourceHttp;
  /** Path of the API below its origin, e.g. /api/v3 or /coingecko/api/v3. */
  private readonly basePath: string;

  constructor(private readonly options: CoinGeckoOptions) {
    const pro = options.plan === 'pro';
    this.capabilities = {
      timeframes: ['30m', '4h', '1d'],
      maxCandlesPerRequest: 180,
      lookbackMs: { '30m': DAY_MS, '4h': 30 * DAY_MS, ...(pro ? {} : { '1d': DEMO_HISTORY_MS }) },
      hasVolume: false,
      trading: '24/7',
      ...(pro
        ? {}
        : { reachFurther: "a pro key (CANDLEKEEP_COINGECKO_PRO_API_KEY) reaches all of CoinGecko's daily history" }),
      notes: [
        'symbols are <coin id>/<vs currency>, e.g. bitcoin/usd (--symbol bitcoin --vs usd)',
        '30m and 4h are CoinGecko /ohlc candles (stamped at their close, stored at their open); no volume',
        '1d candles are built from hourly /market_chart/range prices (first, highest, lowest, last of the UTC day); no volume',
        `${options.plan} plan${pro ? '' : ': history within the past 365 days (set CANDLEKEEP_COINGECKO_PRO_API_KEY for all of it)'}`,
      ],
    };
    const keyHeader = pro ? 'x-cg-pro-api-key' : 'x-cg-demo-api-key';
    const origin = new URL(options.baseUrl);
    this.http = options.network.http({
      source: this.id,
      budgetKey: 'coingecko',
      budget: { limit: options.callsPerMinute ?? COINGECKO_CALLS_PER_MIN[options.plan], windowMs: 60_000 },
      hosts: [origin.origin],
      toError: (res) => this.explain(coingeckoError(res.status, res.body, header(res, 'retry-after'), options.apiKey)),
      headers: () => ({ Accept: 'application/json', ...(options.apiKey ? { [keyHeader]: options.apiKey } : {}) }),
      timeoutMs: options.timeoutMs,
    });
    this.basePath = origin.pathname.replace(/\/+$/, '');
  }

  /** `bitcoin` or `Bitcoin/USD` → `bitcoin/usd` (usd when no currency is given). */
  normalizeSymbol(symbol: string): string {
    const [id = '', vs = 'usd', ...rest] = symbol.trim().toLowerCase().split('/');
    if (!ID_PATTERN.test(id) || !VS_PATTERN.test(vs) || rest.length) {
      throw new SourceError(
        `invalid CoinGecko symbol '${symbol}': use <coin id>/<vs currency>, e.g. bitcoin/usd (find ids with 'candlekeep symbols --source coingecko --search bitcoin')`,
        'rejected',
      );
    }
    return `${id}/${vs}`;
  }

  windows(timeframe: Timeframe, from: number, to: number): Range[] {
    const span = timeframe === '1d' ? CHART_WINDOW_MS : Infinity;
    const out: Range[] = [];
    for (let start = ceilToTimeframe(timeframe, from); start < to;) {
      const end = Math.min(to, span === Infinity ? to : start + span);
      out.push({ from: start, to: end });
      start = end;
    }
    return out;
  }

  async fetchWindow(request: WindowRequest, signal?: AbortSignal): Promise<WindowResult> {
    const [id, vs] = request.symbol.split('/') as [string, string];
    const candles =
      request.timeframe === '1d'
        ? await this.dailyFromPrices(id, vs, request, signal)
        : await this.ohlc(id, vs, request, signal);
    const now = this.options.clock.now();
    return {
      candles: candles.filter(
        (c) => c.ts >= request.from && c.ts < request.to && nextOpen(request.timeframe, c.ts) <= now,
      ),
      requests: 1,
    };
  }

  private async ohlc(
    id: string,
    vs: string,
    { timeframe, from, priority }: WindowRequest,
    signal?: AbortSignal,
  ): Promise<Candle[]> {
    const size = timeframe === '30m' ? 30 * MINUTE_MS : 4 * HOUR_MS;
    const choices = OHLC_DAYS[timeframe];
    if (!choices) throw new SourceError(`coingecko has no ${timeframe} candles`, 'rejected');
    const now = this.options.clock.now();
    // The fewest days whose answer still holds the candle opening at `from` (it closes at from + size).
    const days = choices.find((d) => now - d * DAY_MS < from + size) ?? choices[choices.length - 1]!;
    const query = new URLSearchParams({ vs_currency: vs, days: String(days), precision: 'full' });
    const candles = await this.http.request(
      `${this.basePath}/coins/${encodeURIComponent(id)}/ohlc?${query}`,
      { weight: 1, priority, signal },
      (res) => parseOhlc(res.body, size),
    );
    if (candles.some((c) => !isAligned(timeframe, c.ts))) {
      throw new SourceError(
        `CoinGecko's ${timeframe} candles for ${id} are not on the UTC ${timeframe} grid (first opens ${new Date(candles[0]!.ts).toISOString()})`,
        'rejected',
      );
    }
    return candles;
  }

  private async dailyFromPrices(
    id: string,
    vs: string,
    { from, to, priority }: WindowRequest,
    signal?: AbortSignal,
  ): Promise<Candle[]> {
    // A range of one day near now comes 5-minutely and of one day elsewhere hourly: ask at least two
    // days so every day is built from hourly prices; stay inside the demo plan's 365 days.
    let askFrom = Math.min(from, to - 2 * DAY_MS);
    let askTo = to - 1000;
    if (this.options.plan !== 'pro' && askFrom < this.options.clock.now() - DEMO_HISTORY_MS + HOUR_MS) {
      askFrom = from;
      askTo = Math.max(askTo, from + 2 * DAY_MS);
    }
    const query = new URLSearchParams({
      vs_currency: vs,
      from: String(Math.floor(askFrom / 1000)),
      to: String(Math.floor(askTo / 1000)),
      precision: 'full',
    });
    const chart = await this.http.request(
      `${this.basePath}/coins/${encodeURIComponent(id)}/market_chart/range?${query}`,
      { weight: 1, priority, signal },
      (res) => parseMarketChart(res.body),
    );
    return dailyCandles(chart.prices);
  }

  async listInstruments(search?: string): Promise<Instrument[]> {
    const coins = await this.http.request(`${this.basePath}/coins/list`, { weight: 1 }, (res) =>
      parseCoinsList(res.body),
    );
    const needle = search?.trim().toLowerCase();
    return coins
      .filter(
        (c) =>
          !needle ||
          c.id.includes(needle) ||
          c.symbol.toLowerCase() === needle ||
          c.name.toLowerCase().includes(needle),
      )
      .map((c) => ({ symbol: `${c.id}/usd`, name: c.name, base: c.symbol, quote: 'usd', trading: '24/7' }));
  }

  /** `id/vs`: the coin id must be listed; the quote is any currency CoinGecko prices in. */
  async findInstrument(symbol: string): Promise<Instrument | null> {
    const [id, vs] = this.normalizeSymbol(symbol).split('/') as [string, string];
    const coins = await this.http.request(`${this.basePath}/coins/list`, { weight: 1 }, (res) =>
      parseCoinsList(res.body),
    );
    const coin = coins.find((c) => c.id === id);
    return coin ? { symbol: `${id}/${vs}`, name: coin.name, base: coin.symbol, quote: vs, trading: '24/7' } : null;
  }

  /** Add what to do next to the errors a user can fix. */
  private explain(err: SourceError): SourceError {
    const hint = /coin not found|could not find coin/i.test(err.message)
      ? ": check the coin id with 'candlekeep symbols --source coingecko --search TEXT'"
      : /vs_currency/i.test(err.message)
        ? ': use a currency CoinGecko prices in, e.g. --vs usd'
        : /error 10012|past 365 days/i.test(err.message)
          ? ': start within the past 365 days, or set CANDLEKEEP_COINGECKO_PRO_API_KEY'
          : err.status === 401 || err.status === 403
            ? `: check the ${this.options.plan === 'pro' ? 'CANDLEKEEP_COINGECKO_PRO_API_KEY' : 'CANDLEKEEP_COINGECKO_API_KEY'} key and its host (CANDLEKEEP_COINGECKO_URL)`
            : '';
    return hint ? new SourceError(err.message + hint, err.kind, err.status, err.retryAfterSec) : err;
  }
}

/** UTC-day candles from price points: first, highest, lowest and last price of each day; volume null. */
export function dailyCandles(prices: ChartPoint[]): Candle[] {
  const days = new Map<number, Candle>();
  for (const [t, p] of [...prices].sort((a, b) => a[0] - b[0])) {
    const day = floorToTimeframe('1d', t);
    const c = days.get(day);
    if (!c) days.set(day, { ts: day, open: p, high: p, low: p, close: p, volume: null });
    else {
      c.high = Math.max(c.high, p);
      c.low = Math.min(c.low, p);
      c.close = p;
    }
  }
  return [...days.values()];
}

function header(res: HttpResponse, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Plan, key and base URL from the environment (CANDLEKEEP_COINGECKO_PRO_API_KEY wins over _API_KEY). */
export function coingeckoSettings(
  env: NodeJS.ProcessEnv = process.env,
): Pick<CoinGeckoOptions, 'baseUrl' | 'plan' | 'apiKey' | 'callsPerMinute'> {
  const proKey = env.CANDLEKEEP_COINGECKO_PRO_API_KEY?.trim();
  const demoKey = env.CANDLEKEEP_COINGECKO_API_KEY?.trim();
  const plan: CoinGeckoPlan = proKey ? 'pro' : demoKey ? 'demo' : 'keyless';
  const calls = Number(env.CANDLEKEEP_COINGECKO_CALLS_PER_MIN);
  return {
    baseUrl: env.CANDLEKEEP_COINGECKO_URL?.trim() || (plan === 'pro' ? COINGECKO_PRO_URL : COINGECKO_PUBLIC_URL),
    plan,
    apiKey: proKey || demoKey || undefined,
    callsPerMinute: Number.isFinite(calls) && calls > 0 ? calls : undefined,
  };
}
