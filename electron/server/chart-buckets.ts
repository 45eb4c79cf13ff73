/**
 * Candles for a chart: never raw candles of a long range, at most `maxBuckets` buckets (the chart's
 * pixel width), each a whole multiple of the series' timeframe, aligned so panning keeps buckets stable.
 */
import type { Store } from '../store/store.js';
import type { CandleBucketsResult } from '../../shared/domain.js';
import { timeframeMs } from '../../shared/timeframe.js';
import { ApiError } from './api-error.js';

export function bucketsFor(store: Store, args: { seriesId: number; from: number; to: number; maxBuckets: number }): CandleBucketsResult {
  const series = store.series.get(args.seriesId);
  if (!series) throw new ApiError(`no series with id ${args.seriesId}`);
  const step = timeframeMs(series.timeframe);
  let perBucket = Math.max(1, Math.ceil((args.to - args.from) / args.maxBuckets / step));
  // Aligning the first bucket down can add one bucket; widen until the count fits.
  while (Math.ceil((args.to - Math.floor(args.from / (perBucket * step)) * perBucket * step) / (perBucket * step)) > args.maxBuckets) perBucket++;
  const bucketMs = perBucket * step;
  const origin = Math.floor(args.from / bucketMs) * bucketMs;
  const buckets = store.candles.buckets(series.id, args.from, args.to, bucketMs, origin);
  return { seriesId: series.id, from: args.from, to: args.to, bucketMs, buckets };
}
