/**
 * Any ccxt exchange that can fetchOHLCV, as source `ccxt:<exchange>` with ccxt's unified symbols
 * (BTC/USD). ccxt's own throttle is OFF (enableRateLimit: false): every HTTP request ccxt makes goes
 * through our SourceHttp instead (budget, Retry-After, circuit breaker, request log; see
 * ccxt-transport.ts), and retries are the engine's. A window is paged with fetchOHLCV(since, limit)
 * until it is covered, never trusting a page's size.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import type * as Ccxt from 'ccxt';
import type { Clock } from '../net/clock.js';
import type { Network } from '../net/network.js';
import type { Candle } from '../../shared/domain.js';
import {
  TIMEFRAMES,
  candleCount,
  ceilToTimeframe,
  nextOpen,
  timeframeMs,
  type Timeframe,
} from '../../shared/timeframe.js';
import { CcxtTransport, type CallContext, type SharedBudget } from './ccxt-transport.js';
import { errorBodyText } from './error-body.js';
import { BINANCE_DEFAULT_LIMIT, BINANCE_WEIGHT } from './binance.js';
import {
  SourceError,
  type Instrument,
  type Range,
  type Source,
  type SourceCapabilities,
  type WindowRequest,
  type WindowResult,
} from './source.js';

type CcxtModule = typeof Ccxt;
type Exchange = Ccxt.Exchange;

let loaded: CcxtModule | undefined;

/** ccxt, loaded on first use (about a second) and synchronously, so a source is created synchronously. */
export function ccxtModule(): CcxtModule {
  loaded ??= createRequire(import.meta.url)('ccxt') as CcxtModule;
  return loaded;
}

/** Every exchange id ccxt knows. */
export function ccxtExchangeIds(): string[] {
  const ids: unknown = ccxtModule().exchanges;
  return Array.isArray(ids) ? (ids as string[]) : Object.keys(ids as object);
}

/**
 * Exchanges that serve only their most recent candles, whatever `since` says (Kraken's OHLC
 * endpoint: "up to 720 of the most recent entries"): a lookback of that many candles.
 */
const RECENT_CANDLES_ONLY: Record<string, number> = { kraken: 720 };
const SYMBOL_PATTERN = /^[A-Z0-9._-]+\/[A-Z0-9._-]+(:[A-Z0-9._-]+)?$/;

export interface CcxtOptions {
  /** ccxt's exchange id, e.g. 'kraken'. */
  exchangeId: string;
  clock: Clock;
  network: Network;
  /** Constructor overrides for the ccxt exchange (urls, options), e.g. to point it at the simulator. */
  config?: Record<string, unknown>;
  /** Candles per window (default: the exchange's fetchOHLCV limit); pages within a window continue until it is covered. */
  windowCandles?: number;
  timeoutMs?: number;
}

export class CcxtSource implements Source {
  readonly id: string;
  readonly capabilities: SourceCapabilities;
  private readonly exchange: Exchange;
  private readonly pageLimit: number;
  private readonly windowCandles: number;
  private readonly calls = new AsyncLocalStorage<CallContext>();
  private marketsLoaded: Promise<unknown> | null = null;
  private marketsFailed = false;

  constructor(private readonly options: CcxtOptions) {
    const exchangeId = options.exchangeId;
    this.id = `ccxt:${exchangeId}`;
    const ccxt = ccxtModule() as unknown as Record<string, new (config: object) => Exchange>;
    if (
      !/^[a-z0-9]+$/.test(exchangeId) ||
      !ccxtExchangeIds().includes(exchangeId) ||
      typeof ccxt[exchangeId] !== 'function'
    ) {
      throw new SourceError(
        `ccxt has no exchange '${exchangeId}': run 'candlekeep sources' for the ids (e.g. ccxt:kraken, ccxt:bybit)`,
        'rejected',
      );
    }
    const timeoutMs = options.timeoutMs ?? 15_000;
    // Our own timeout fires first (and is accounted as one); ccxt's is only a backstop.
    this.exchange = new ccxt[exchangeId]!({ enableRateLimit: false, timeout: timeoutMs + 5_000, ...options.config });
    if (!this.exchange.has.fetchOHLCV)
      throw new SourceError(`ccxt's ${exchangeId} cannot fetch candles (it has no fetchOHLCV)`, 'rejected');
    routeThroughSourceHttp(this.exchange, exchangeId, options.network, timeoutMs, this.calls);

    const features = (this.exchange as unknown as { features?: { spot?: { fetchOHLCV?: { limit?: number } } } })
      .features;
    this.pageLimit = features?.spot?.fetchOHLCV?.limit ?? 500;
    this.windowCandles = options.windowCandles ?? this.pageLimit;
    const timeframes = TIMEFRAMES.filter((tf) =>
      Object.prototype.hasOwnProperty.call(this.exchange.timeframes ?? {}, tf),
    );
    const recent = RECENT_CANDLES_ONLY[exchangeId];
    this.capabilities = {
      timeframes,
      maxCandlesPerRequest: this.pageLimit,
      lookbackMs: recent ? Object.fromEntries(timeframes.map((tf) => [tf, recent * timeframeMs(tf)])) : {},
      hasVolume: true,
      trading: '24/7',
      notes: [
        `ccxt ${ccxtModule().version} ${this.exchange.name ?? exchangeId}: unified symbols such as BTC/USDT; ccxt's throttle is off, Candlekeep's budget governs`,
        ...(recent ? [`${exchangeId} serves only its most recent ${recent} candles of each timeframe`] : []),
      ],
    };
  }

  normalizeSymbol(symbol: string): string {
    const upper = symbol.trim().toUpperCase();
    if (!SYMBOL_PATTERN.test(upper))
      throw new SourceError(
        `invalid ccxt symbol '${symbol}': use ccxt's unified form BASE/QUOTE, e.g. BTC/USDT`,
        'rejected',
      );
    return upper;
  }

  windows(timeframe: Timeframe, from: number, to: number): Range[] {
    const out: Range[] = [];
    let start = ceilToTimeframe(timeframe, from);
    while (start < to) {
      let end = start;
      for (let n = 0; n < this.windowCandles && end < to; n++) end = nextOpen(timeframe, end);
      out.push({ from: start, to: Math.min(end, to) });
      start = end;
    }
    return out;
  }

  private loadMarkets(): Promise<unknown> {
    // ccxt keeps the promise of its first load, rejected or not: after a failure only a reload asks
    // again (an exchange unreachable when the engine started would otherwise fail for ever).
    this.marketsLoaded ??= this.exchange
      .loadMarkets(this.marketsFailed)
      .then((markets) => {
        // An answer of the wrong shape parses as no market at all: every symbol would look unknown
        // (refused for hours) until a restart. A venue listing nothing is a bad answer; ask again.
        if (!Object.keys(markets ?? {}).length)
          throw new SourceError(`${this.id} listed no markets: the answer was not a market list`, 'malformed');
        this.marketsFailed = false;
        return markets;
      })
      .catch((err: unknown) => {
        this.marketsLoaded = null;
        this.marketsFailed = true;
        throw err;
      });
    return this.marketsLoaded;
  }

  async fetchWindow(request: WindowRequest, signal?: AbortSignal): Promise<WindowResult> {
    const ctx: CallContext = { signal, priority: request.priority, requests: 0 };
    return this.calls.run(ctx, async () => {
      try {
        await this.loadMarkets();
        const candles = await this.page(request);
        return { candles, requests: Math.max(1, ctx.requests) };
      } catch (err) {
        throw this.toSourceError(err, ctx, request.symbol);
      }
    });
  }

  /** fetchOHLCV from `from` on, page after page, until the window is covered or a page brings nothing new. */
  private async page({ symbol, timeframe, from, to }: WindowRequest): Promise<Candle[]> {
    const now = this.options.clock.now();
    const candles: Candle[] = [];
    let since = from;
    while (since < to) {
      const rows = await this.exchange.fetchOHLCV(
        symbol,
        timeframe,
        since,
        Math.min(this.pageLimit, candleCount(timeframe, since, to)),
      );
      const fresh = rows
        .filter((r) => typeof r[0] === 'number' && r[0] >= since && r[0] < to)
        .sort((a, b) => a[0]! - b[0]!);
      if (!fresh.length) break;
      for (const [ts, open, high, low, close, volume] of fresh) {
        // The forming candle is never stored.
        if (nextOpen(timeframe, ts!) > now) break;
        // A row without its four prices is a broken answer, not a missing candle: skipping it would
        // read as the venue having nothing there.
        if (
          typeof open !== 'number' ||
          typeof high !== 'number' ||
          typeof low !== 'number' ||
          typeof close !== 'number'
        ) {
          throw new SourceError(
            `${this.id} sent a ${timeframe} row for ${symbol} at ${new Date(ts!).toISOString()} without its prices`,
            'malformed',
          );
        }
        candles.push({ ts: ts!, open, high, low, close, volume: typeof volume === 'number' ? volume : null });
      }
      since = nextOpen(timeframe, fresh[fresh.length - 1]![0]!);
      if (since >= now) break;
    }
    return candles;
  }

  async listInstruments(search?: string): Promise<Instrument[]> {
    const ctx: CallContext = { requests: 0 };
    return this.calls.run(ctx, async () => {
      try {
        await this.loadMarkets();
      } catch (err) {
        throw this.toSourceError(err, ctx);
      }
      const needle = search?.trim().toUpperCase();
      return Object.values(this.exchange.markets ?? {})
        .filter((m): m is NonNullable<typeof m> => !!m && m.active !== false)
        .filter((m) => !needle || m.symbol.toUpperCase().includes(needle) || m.base?.toUpperCase() === needle)
        .map((m) => ({
          symbol: m.symbol,
          base: m.base,
          quote: m.quote,
          name: `${m.base}/${m.quote} ${m.type ?? ''}`.trim(),
          trading: '24/7' as const,
        }));
    });
  }

  /** A ccxt error as a SourceError of the right kind (what the HTTP layer saw wins for rate limits). */
  private toSourceError(err: unknown, ctx: CallContext, symbol?: string): unknown {
    if (err instanceof SourceError) return err;
    const c = ccxtModule();
    if (!(err instanceof c.BaseError)) return err;
    const seen = ctx.httpError;
    // ccxt's message carries the answer's body: a gateway's HTML page, over many lines, becomes its text.
    const message = `${this.id}: ${errorBodyText(err.message, 300)}`;
    if (err instanceof c.RateLimitExceeded || err instanceof c.DDoSProtection || seen?.kind === 'rate_limited') {
      return new SourceError(message, 'rate_limited', seen?.status, seen?.retryAfterSec);
    }
    if (err instanceof c.NetworkError) return new SourceError(message, 'unavailable', seen?.status);
    const hint =
      err instanceof c.BadSymbol && symbol
        ? `; list its symbols with 'candlekeep symbols --source ${this.id} --search ${symbol.split('/')[0]}'`
        : '';
    return new SourceError(message + hint, 'rejected', seen?.status);
  }
}

/** ccxt's HTTP for this exchange goes through our SourceHttp (budget, breaker, request log): see ccxt-transport.ts. */
function routeThroughSourceHttp(
  exchange: Exchange,
  exchangeId: string,
  network: Network,
  timeoutMs: number,
  calls: AsyncLocalStorage<CallContext>,
): void {
  const transport = new CcxtTransport({
    source: `ccxt:${exchangeId}`,
    network,
    timeoutMs,
    calls,
    callsPerMinute: Math.max(1, Math.floor(60_000 / Math.max(1, exchange.rateLimit || 1_000))),
    sharedBudget: SHARED_BUDGETS[exchangeId],
  });
  exchange.fetchImplementation = transport.fetch;
}

/**
 * ccxt's bundled pro (WebSocket) client of an exchange, when it has one that can watchOHLCV, set up
 * like the REST one: ccxt's throttle off, its HTTP (the markets it loads) through our SourceHttp.
 */
export function ccxtProExchange(
  exchangeId: string,
  options: Pick<CcxtOptions, 'network' | 'config' | 'timeoutMs'>,
): Exchange | undefined {
  const pro = (ccxtModule() as unknown as { pro?: Record<string, new (config: object) => Exchange> }).pro;
  const Cls = /^[a-z0-9]+$/.test(exchangeId) ? pro?.[exchangeId] : undefined;
  if (typeof Cls !== 'function') return undefined;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const exchange = new Cls({ enableRateLimit: false, timeout: timeoutMs + 5_000, ...options.config });
  if (!exchange.has.watchOHLCV) return undefined;
  // Reconnects wait out our own backoff, on the engine's clock and within the connection budget
  // (ccxt-kline-stream.ts); ccxt's wall-clock backoff on top would only add to it.
  const ws = (exchange.options.ws ?? {}) as { backoff?: object };
  exchange.options.ws = { ...ws, backoff: { ...ws.backoff, base: 0 } };
  routeThroughSourceHttp(exchange, exchangeId, options.network, timeoutMs, new AsyncLocalStorage<CallContext>());
  return exchange;
}

/** Venues whose per-IP budget ccxt shares with their native source (see CcxtTransportOptions.sharedBudget). */
const SHARED_BUDGETS: Record<string, SharedBudget | undefined> = {
  binance: {
    budgetKey: 'binance',
    budget: BINANCE_DEFAULT_LIMIT,
    usedWeightHeader: 'x-mbx-used-weight-1m',
    weight: (path) =>
      path.endsWith('/klines')
        ? BINANCE_WEIGHT.klines
        : path.endsWith('/exchangeInfo')
          ? BINANCE_WEIGHT.exchangeInfo
          : 1,
  },
};

/**
 * Constructor overrides from the environment, so the CLI can point an exchange elsewhere (the
 * simulator): CANDLEKEEP_CCXT_<ID>_URL replaces its public REST API URL,
 * CANDLEKEEP_CCXT_<ID>_WS_URL every WebSocket URL of its pro client, and
 * CANDLEKEEP_CCXT_<ID>_OPTIONS (JSON) is merged into its ccxt options.
 */
export function ccxtConfigFromEnv(exchangeId: string, env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const prefix = `CANDLEKEEP_CCXT_${exchangeId.toUpperCase()}`;
  const config: Record<string, unknown> = {};
  const url = env[`${prefix}_URL`]?.trim();
  if (url) {
    const ccxt = ccxtModule() as unknown as Record<string, new () => Exchange>;
    const Cls = ccxt[exchangeId];
    const api = Cls ? (new Cls().urls as { api?: unknown }).api : undefined;
    config.urls = { api: typeof api === 'object' && api !== null ? { ...api, public: url } : url };
  }
  const wsUrl = env[`${prefix}_WS_URL`]?.trim();
  if (wsUrl) {
    const pro = (ccxtModule() as unknown as { pro?: Record<string, new () => Exchange> }).pro;
    const Cls = pro?.[exchangeId];
    const ws = Cls ? (new Cls().urls as { api?: { ws?: unknown } }).api?.ws : undefined;
    const api = (config.urls as { api?: unknown } | undefined)?.api;
    config.urls = { api: { ...(typeof api === 'object' ? api : {}), ws: everyUrl(ws, wsUrl) } };
  }
  const options = env[`${prefix}_OPTIONS`]?.trim();
  if (options) {
    try {
      config.options = JSON.parse(options) as unknown;
    } catch {
      throw new SourceError(`${prefix}_OPTIONS is not JSON: write e.g. {"fetchMarkets":["spot"]}`, 'rejected');
    }
  }
  return config;
}

/** `shape` (a URL or a tree of them, as ccxt's urls.api.ws) with every URL replaced by `url`. */
function everyUrl(shape: unknown, url: string): unknown {
  if (typeof shape === 'object' && shape !== null)
    return Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, everyUrl(v, url)]));
  return url;
}
