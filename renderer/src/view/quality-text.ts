/** Words for what the quality report counts: reasons, flag kinds, and the command that maps assets. */
import type { QualityFlagKind, RejectReason } from '../../../shared/quality';

/** What the rule a rejected candle broke means (shared/quality.ts RejectReason). */
export const REJECT_REASON_TEXT: Record<RejectReason, string> = {
  not_finite: 'a price, the volume or the open time is not a number',
  high_below_max: 'the high is below the open or the close',
  low_above_min: 'the low is above the open or the close',
  low_not_positive: 'the low is zero or negative',
  negative_volume: 'the volume is negative',
  missing_volume: 'no volume, where this source publishes one',
  off_grid: "the open time is not on the timeframe's grid",
  future: 'the open time is in the future',
  forming: 'sent before the candle closed',
  outside_window: 'a candle the request did not ask for',
  conflicting_duplicate: 'the page held different candles with this open time',
};

export function rejectReasonText(reason: string): string {
  return REJECT_REASON_TEXT[reason as RejectReason] ?? reason;
}

export const FLAG_KIND_LABEL: Record<QualityFlagKind, string> = {
  return_outlier: 'price move',
  volume_outlier: 'volume',
  flat_run: 'flat run',
  timeframe_mismatch: 'timeframe mismatch',
  source_deviation: 'source deviation',
};

/** The CLI's own example (electron/cli/commands/assets.ts): which listings are the same asset. */
export const ASSETS_EXAMPLE = 'candlekeep assets set BTC binance:BTCUSDT coingecko:bitcoin/usd yahoo:BTC-USD';

/** How `candlekeep assets` names a listing: SOURCE:SYMBOL (ccxt sources carry their exchange). */
export function listingText(l: { source: string; symbol: string }): string {
  return `${l.source}:${l.symbol}`;
}
