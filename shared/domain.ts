/** Domain types shared by the engine and the dashboard. No Node or DOM imports here. */
import type { Timeframe } from './timeframe.js';

/** One OHLCV candle in our single shape. `ts` is the OPEN time, epoch ms UTC. */
export interface Candle {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  /** Base-asset volume of this candle; null where the source publishes none (CoinGecko OHLC). */
  volume: number | null;
}

/** What names a series: one instrument at one timeframe from one source. */
export interface SeriesKey {
  /** 'binance' | 'coingecko' | 'yahoo' | 'ccxt:<exchange>' */
  source: string;
  symbol: string;
  timeframe: Timeframe;
}

export interface Series extends SeriesKey {
  id: number;
  /** Keep history from this open time on. */
  startTs: number;
  enabled: boolean;
  createdAt: number;
}

/** A series with what the store knows about it, for lists and tables. */
export interface SeriesSummary extends Series {
  candleCount: number;
  firstTs: number | null;
  lastTs: number | null;
  openHoles: number;
}

/** A gap-ledger state: see docs/ARCHITECTURE.md "The gap ledger". */
export type HoleState = 'open' | 'confirmed_empty' | 'market_closed';

/**
 * Why a range has no candles.
 * - source_gap: the source skipped the range (maintenance, no trades); confirmed after a second look.
 * - before_listing: the range lies before the instrument's first candle.
 * - missing: found by a sweep (e.g. rows lost); to repair.
 * - fetch_failed: the source could not be reached for the range (timeout, error, bad answer); to retry.
 * - not_fetched: history planned and not fetched yet (the engine's to-do list, kept across restarts).
 * - rejected: candles failed validation and were quarantined.
 * - market_closed: outside the instrument's trading sessions.
 */
export type HoleCause =
  'source_gap' | 'before_listing' | 'missing' | 'fetch_failed' | 'not_fetched' | 'rejected' | 'market_closed';

/** A range [fromTs, toTs) of candle open times with no stored candles. */
export interface Hole {
  id: number;
  seriesId: number;
  fromTs: number;
  toTs: number;
  state: HoleState;
  cause: HoleCause;
  /** Requests made at the range, failed ones included. */
  attempts: number;
  /** Next look due (open), or the late look a day after settling (confirmed_empty); null: none. */
  nextAttemptTs: number | null;
  lastError: string | null;
  /** Answers that showed the range empty (see engine/evidence.ts: what counts as a look). */
  looks: number;
  /** When the first of those looks was made (the second must come a while later). */
  lookedAt: number | null;
  /** When the range was settled (confirmed_empty), for the late look. */
  settledAt: number | null;
}

/** Candles re-aggregated into one bucket for a chart column. */
export interface CandleBucket {
  /** Open time of the first candle in the bucket. */
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number | null;
  /** How many stored candles the bucket aggregates. */
  count: number;
}

export interface CandleBucketsResult {
  seriesId: number;
  from: number;
  to: number;
  /** Width of each bucket in ms (a multiple of the timeframe). */
  bucketMs: number;
  buckets: CandleBucket[];
}

/** Outcome of one backfill run, as printed by the CLI. */
export interface BackfillSummary {
  seriesId: number;
  source: string;
  symbol: string;
  timeframe: Timeframe;
  from: number;
  to: number;
  candlesStored: number;
  requests: number;
  seconds: number;
  holes: Array<Pick<Hole, 'fromTs' | 'toTs' | 'state' | 'cause'>>;
}

export type EventKind =
  'alert' | 'alert_cleared' | 'ban' | 'rate_limited' | 'repair' | 'revision' | 'series' | 'engine' | 'job';

export type EventSeverity = 'info' | 'warning' | 'error';

/** Something that happened, as stored in the events table and shown in the dashboard's event view. */
export interface EngineEvent {
  id: number;
  at: number;
  kind: EventKind;
  severity: EventSeverity;
  seriesId: number | null;
  source: string | null;
  message: string;
  data: Record<string, unknown> | null;
}

/** revision: a second look at recently closed candles after the settle delay (engine/revisions.ts). */
export type JobKind = 'tail' | 'repair' | 'revision' | 'backfill' | 'manual';
export type JobState = 'queued' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled';

/** A unit of fetch work with its progress (docs/ARCHITECTURE.md "Jobs"). */
export interface Job {
  id: string;
  seriesId: number;
  kind: JobKind;
  state: JobState;
  from: number;
  to: number;
  windowsDone: number;
  windowsTotal: number;
  candlesStored: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** Candles per second while running. */
  rate: number;
  etaSec: number | null;
  error: string | null;
}
