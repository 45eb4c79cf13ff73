/**
 * Candles for a chart: never raw candles of a long range, at most `maxBuckets` buckets (the chart's
 * pixel width), each a whole multiple of the series' timeframe, aligned so panning keeps buckets stable.
 */
import type { Store } from '../store/store.js';
import type { CandleBucketsResult } from '../../shared/domain.js';
import { timeframeMs } from '../../shared/timeframe.js';
import { ApiError } from './api-error.js';

export function bucketsFor(
  store: Store,
  args: { seriesId: number; from: number; to: number; maxBuckets: number },
): CandleBucketsResult {
  const series = store.series.get(args.seriesId);
  if (!series) throw new ApiError(`no series with id ${args.seriesId}`);
  const { bucketMs, origin } = bucketWidth(timeframeMs(series.timeframe), args.from, args.to, args.maxBuckets);
  const buckets = store.candles.buckets(series.id, args.from, args.to, bucketMs, origin);
  return { seriesId: series.id, from: args.from, to: args.to, bucketMs, buckets };
}

/**
 * Bucket width (a whole number of candles) and origin (aligned to it, so buckets stay put while the
 * view pans) such that [from, to) needs at most `maxBuckets` buckets.
 */
export function bucketWidth(
  stepMs: number,
  from: number,
  to: number,
  maxBuckets: number,
): { bucketMs: number; origin: number } {
  let perBucket = Math.max(1, Math.ceil((to - from) / maxBuckets / stepMs));
  // Aligning the first bucket down can add one bucket; widen until the count fits.
  while (
    Math.ceil((to - Math.floor(from / (perBucket * stepMs)) * perBucket * stepMs) / (perBucket * stepMs)) > maxBuckets
  )
    perBucket++;
  const bucketMs = perBucket * stepMs;
  return { bucketMs, origin: Math.floor(from / bucketMs) * bucketMs };
}
