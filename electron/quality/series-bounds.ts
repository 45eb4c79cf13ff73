/** First and last stored open time of a series: two index lookups (a COUNT over years of 1m candles is not). */
import type { Store } from '../store/store.js';

export function seriesBounds(store: Store, seriesId: number): { firstTs: number | null; lastTs: number | null } {
  return {
    firstTs: store.candles.firstAtOrAfter(seriesId, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
    lastTs: store.candles.lastBefore(seriesId, Number.MAX_SAFE_INTEGER),
  };
}
