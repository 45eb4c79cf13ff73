/**
 * A source of bulk history consulted by a backfill before its REST windows (e.g. Binance's monthly
 * and daily archives). It stores what it can of the missing ranges through the same storage path as
 * REST windows and hands back the ranges still to fetch over REST.
 */
import type { Range } from './hole-ledger.js';
import type { Series, SeriesKey } from '../../shared/domain.js';

export interface BulkJob {
  key: SeriesKey;
  /** Missing ranges, oldest first, as the backfill computed them from the database. */
  ranges: Range[];
  /** Exclusive end of closed candles. */
  liveEdge: number;
  /** The series row, created on first use. */
  series: () => Series;
  signal?: AbortSignal;
  /** Told after each commit, like BackfillDeps.onStored. */
  onStored?: (seriesId: number, count: number, lastTs: number | null) => void;
  /**
   * Resolves when the import may go on: at once, unless the user paused what it works for; also
   * when `signal` aborts. Asked before each file is stored and before each further request.
   */
  whilePaused?: () => Promise<void>;
}

export interface BulkResult {
  /** Ranges still to fetch over REST, oldest first. */
  remaining: Range[];
  /** Candles new or changed. */
  stored: number;
  /** REST requests the bulk step sent itself (the cross-check). */
  requests: number;
}

export interface BulkHistory {
  fill(job: BulkJob): Promise<BulkResult>;
}
