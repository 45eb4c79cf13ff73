/**
 * Data quality: why a candle was quarantined, what the checks flag, and the per-series
 * report the CLI (`candlekeep quality`) and the dashboard (`quality:report`) show. No Node or DOM imports.
 */
import type { HoleCause, HoleState } from './domain.js';
import type { Timeframe } from './timeframe.js';

/**
 * Why a fetched candle was not stored (it went to the `rejected` table instead).
 * - not_finite: a price, the volume or the open time is not a finite number.
 * - high_below_max / low_above_min: high < max(open, close) / low > min(open, close).
 * - low_not_positive: low <= 0.
 * - negative_volume: volume < 0.
 * - missing_volume: no volume, where the source publishes it and the rest of the page has it.
 * - off_grid: the open time is not on the timeframe's grid.
 * - future: the open time is after now.
 * - forming: the candle has not closed yet.
 * - outside_window: a closed candle the request did not ask for.
 * - conflicting_duplicate: the page holds different candles with this open time (all are rejected).
 */
export type RejectReason =
  | 'not_finite'
  | 'high_below_max'
  | 'low_above_min'
  | 'low_not_positive'
  | 'negative_volume'
  | 'missing_volume'
  | 'off_grid'
  | 'future'
  | 'forming'
  | 'outside_window'
  | 'conflicting_duplicate';

export const REJECT_REASONS: readonly RejectReason[] = [
  'not_finite',
  'high_below_max',
  'low_above_min',
  'low_not_positive',
  'negative_volume',
  'missing_volume',
  'off_grid',
  'future',
  'forming',
  'outside_window',
  'conflicting_duplicate',
];

/**
 * What a quality check flagged. Flags are annotations: the candles stay stored.
 * - return_outlier: a close-to-close move far outside the series' usual moves (median/MAD).
 * - volume_outlier: a volume far above the series' usual volume (median/MAD of log volume).
 * - flat_run: consecutive identical flat candles (open = high = low = close), e.g. a stalled feed.
 * - timeframe_mismatch: a candle differs from the aggregate of the same source's lower timeframe.
 * - source_deviation: a close differs from the same asset's close on other sources beyond the tolerance.
 */
export type QualityFlagKind =
  'return_outlier' | 'volume_outlier' | 'flat_run' | 'timeframe_mismatch' | 'source_deviation';

/** One stored annotation on a series, over the candles with open time in [ts, toTs). */
export interface QualityFlag {
  kind: QualityFlagKind;
  seriesId: number;
  ts: number;
  toTs: number;
  /** One line a user reads, naming the values (and, across sources, both sources). */
  message: string;
  data: Record<string, unknown>;
}

/** One quarantined candle as the source sent it, so a user can see exactly what was refused. */
export interface RejectedExample {
  /** Open time as the source sent it (null when it was not a finite number). */
  ts: number | null;
  /** The source's row as JSON text (its wire row where the source keeps it). */
  raw: string;
  /** One line naming the values that broke the rule. */
  detail: string | null;
  lastSeenAt: number;
  timesSeen: number;
}

/** Rejected candles of one reason. */
export interface RejectedCount {
  reason: RejectReason;
  /** Distinct rejected candles (the same bad candle seen again counts once). */
  candles: number;
  lastSeenAt: number;
  /** The most recently seen of them (at most a few), raw. */
  examples: RejectedExample[];
}

/** Holes of one cause and state, with the candles they cover. */
export interface HoleCount {
  cause: HoleCause;
  state: HoleState;
  holes: number;
  candles: number;
}

/** The series compared with a higher (or lower) timeframe of the same source and symbol. */
export interface TimeframeAgreement {
  /** The higher timeframe's series (the one checked against the lower one's aggregate). */
  higherSeriesId: number;
  higherTimeframe: Timeframe;
  lowerSeriesId: number;
  lowerTimeframe: Timeframe;
  /** Higher-timeframe candles whose lower-timeframe candles were all there to compare. */
  compared: number;
  mismatches: number;
}

/** How the series' closes agree with the same asset on other sources. */
export interface SourceAgreement {
  /** The asset name the user mapped the series to (`candlekeep assets`). */
  asset: string;
  /** Relative deviation beyond which a close is flagged (0.005 = 0.5%). */
  tolerance: number;
  /** The other listings of the asset. */
  peers: Array<{ source: string; symbol: string }>;
  /** The series whose closes stand for this listing: its finest timeframe (the numbers below are its). */
  comparedSeriesId: number;
  /** Close times at which at least one other source had a close too. */
  compared: number;
  /** Of those, times this series' close was flagged. */
  deviations: number;
  /** Largest relative deviation seen from the other sources' median close (null: nothing compared). */
  maxDeviation: number | null;
}

/** The quality of one series, from the ledger, the quarantine, the events and the checks' flags. */
export interface QualityReport {
  seriesId: number;
  source: string;
  symbol: string;
  timeframe: Timeframe;
  /** Open times counted: [keep-from, live edge). */
  from: number;
  to: number;
  completeness: {
    stored: number;
    /** Expected open times minus market-closed and confirmed-empty time (rejected candles stay expected). */
    expected: number;
    /** stored / expected (null: nothing expected yet). */
    ratio: number | null;
    marketClosed: number;
    confirmedEmpty: number;
  };
  holes: HoleCount[];
  rejected: RejectedCount[];
  /** Candles the source changed after they closed (recorded as 'revision' events). */
  revisions: { count: number; lastAt: number | null };
  anomalies: { returnOutliers: number; volumeOutliers: number; flatRuns: number; flatCandles: number };
  timeframes: TimeframeAgreement[];
  /** Null when the series is not mapped to an asset listed on another source. */
  sources: SourceAgreement | null;
  /** The most recent flags of every kind on this series, newest first (at most 20). */
  recentFlags: QualityFlag[];
}
