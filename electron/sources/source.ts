/**
 * The one contract every market-data source implements (binance, ccxt:*, coingecko, yahoo).
 * Sources speak their API's wire format and convert to our `Candle` at the edge; paging, the gap
 * ledger and storage are the engine's job.
 */
import type { PackedCandles } from './packed-candles.js';
import type { Candle } from '../../shared/domain.js';
import type { Timeframe } from '../../shared/timeframe.js';

export interface Range {
  from: number;
  to: number;
}

/** What a source can serve; checked (electron/sources/capabilities.ts) before any request is sent. */
export interface SourceCapabilities {
  timeframes: Timeframe[];
  /** Most candles one request returns. */
  maxCandlesPerRequest: number;
  /** How far back from now each timeframe's history can be requested (ms); absent means all of it. */
  lookbackMs: Partial<Record<Timeframe, number>>;
  hasVolume: boolean;
  /**
   * '24/7' when every instrument trades around the clock; 'sessions' when some trade in exchange
   * sessions: the source then reports closed ranges in WindowResult.marketClosed (see Instrument.trading).
   */
  trading: '24/7' | 'sessions';
  /** One-line facts a user needs to pick this source (plan limits, how candles are made). */
  notes?: string[];
  /** How to reach further back than lookbackMs allows, when there is a way (e.g. a paid plan's key). */
  reachFurther?: string;
  /** Budget weight one window request costs (1 when absent). */
  requestWeight?: number;
}

/** An instrument a source offers, as a picker or `candlekeep symbols` lists it. */
export interface Instrument {
  /** The canonical symbol to store series under (what --symbol accepts). */
  symbol: string;
  name?: string;
  base?: string;
  quote?: string;
  /** How this instrument trades, when the source knows it. */
  trading?: '24/7' | 'sessions';
}

export interface WindowRequest {
  symbol: string;
  timeframe: Timeframe;
  /** Inclusive, aligned open time. */
  from: number;
  /** Exclusive. */
  to: number;
  /** Budget priority (net/budget.ts PRIORITY); backfill when absent. */
  priority?: number;
}

/** What one window's request returned: every closed candle the source has in it. */
export interface WindowResult {
  candles: Candle[];
  /**
   * Ranges of candle open times inside the window where the market was closed (session-based
   * sources): the engine records them as market_closed, never as gaps.
   */
  marketClosed?: Range[];
  /**
   * The source's own form of each candle (`raw[i]` for `candles[i]`, e.g. Binance's wire row), kept
   * so a candle that fails validation is quarantined as the source sent it.
   */
  raw?: readonly unknown[];
  /** HTTP requests it took (retries included). */
  requests: number;
  /**
   * The same candles packed, in ascending order, where the source read them so (Binance's fast path):
   * a valid window is then stored from these, and `candles` and `raw` need never be built.
   */
  packed?: PackedCandles | null;
}

export interface Source {
  readonly id: string;
  readonly capabilities: SourceCapabilities;
  /** Normalize a user-typed symbol (e.g. upper-case it), or throw a SourceError saying what is expected. */
  normalizeSymbol(symbol: string): string;
  listInstruments(search?: string): Promise<Instrument[]>;
  /**
   * The instrument stored under this canonical symbol, or null when the source has none. Sources
   * whose listing search does not take the canonical form (CoinGecko's id/vs) implement it; the
   * others are looked up through listInstruments (app/series-operations.ts).
   */
  findInstrument?(symbol: string): Promise<Instrument | null>;
  /** Split [from, to) into ranges this source answers in one request each. */
  windows(timeframe: Timeframe, from: number, to: number): Range[];
  fetchWindow(request: WindowRequest, signal?: AbortSignal): Promise<WindowResult>;
}

// The source's errors live with every other kind of error (electron/errors.ts); sources throw them from here.
export { SourceError, type SourceErrorKind } from '../errors.js';
