/**
 * Storing one closed candle that a stream sent: the same validation and the same one-transaction
 * commit as a fetched window, over a window of exactly that candle, so the message is evidence of
 * that candle only and never of absence (engine/evidence.ts). A candle ahead of the stored tail is
 * not stored yet: storing it would leave the candles before it neither stored nor in the ledger.
 */
import type { Store } from '../store/store.js';
import type { Source } from '../sources/source.js';
import type { StreamKline } from '../sources/kline-stream.js';
import type { Series } from '../../shared/domain.js';
import { floorToTimeframe, nextOpen } from '../../shared/timeframe.js';
import { commitWindow, type CommitOptions, type CommitResult } from './window-commit.js';
import { tailStart } from './series-planner.js';

/**
 * How far our clock may run behind the exchange's: a closing message is the exchange saying the candle
 * has closed, so within this much it is not "still forming" by our clock. Further than this, it is.
 */
export const STREAM_CLOCK_SKEW_MS = 10_000;

export type StreamCommit =
  | { outcome: 'stored'; result: CommitResult }
  /** Before the series' keep-from date: not ours to keep. */
  | { outcome: 'ignored' }
  /** After a candle not stored yet: kept aside until the one before it is stored. */
  | { outcome: 'ahead' };

export function commitStreamCandle(
  store: Store,
  source: Source,
  series: Series,
  kline: StreamKline,
  now: number,
  options: CommitOptions,
): StreamCommit {
  const from = floorToTimeframe(series.timeframe, kline.candle.ts);
  const window = { from, to: nextOpen(series.timeframe, from) };
  if (from < series.startTs) return { outcome: 'ignored' };
  if (from > tailStart(store, source, series, window.to)) return { outcome: 'ahead' };
  const at = window.to > now && window.to - now <= STREAM_CLOCK_SKEW_MS ? window.to : now;
  return {
    outcome: 'stored',
    result: commitWindow(
      store,
      series,
      window,
      { candles: [kline.candle], raw: [kline.raw], requests: 0 },
      window.to,
      at,
      options,
    ),
  };
}
