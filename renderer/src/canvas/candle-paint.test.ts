import { describe, expect, it } from 'vitest';
import type { CandleBucket, CandleBucketsResult } from '../../../shared/domain';
import { bucketAt, chartLayout, maxBucketsFor, priceScale, visibleBuckets } from './candle-paint';

const candle = (ts: number, low: number, high: number): CandleBucket => ({ ts, open: low, high, low, close: high, volume: 1, count: 1 });
const result: CandleBucketsResult = { seriesId: 1, from: 0, to: 100, bucketMs: 10, buckets: [candle(0, 5, 6), candle(10, 4, 8), candle(40, 7, 9)] };

describe('candle chart', () => {
  it('asks for no more buckets than the plot has pixels', () => {
    const layout = chartLayout(1000, 400);
    expect(maxBucketsFor(layout, 3)).toBe(Math.floor(layout.plotWidth / 3));
    expect(maxBucketsFor(layout, 1)).toBeLessThanOrEqual(layout.plotWidth);
  });

  it('finds the bucket under the pointer and nothing over a hole', () => {
    expect(bucketAt(result, 15)?.ts).toBe(10);
    expect(bucketAt(result, 25)).toBeNull();
    expect(bucketAt(result, 49)?.ts).toBe(40);
  });

  it('scales prices to the visible buckets only', () => {
    const layout = chartLayout(500, 300);
    const visible = visibleBuckets(result, { from: 0, to: 20 });
    expect(visible.map((b) => b.ts)).toEqual([0, 10]);
    const scale = priceScale(visible, layout)!;
    expect(scale.min).toBeLessThan(4);
    expect(scale.max).toBeGreaterThan(8);
    expect(scale.max).toBeLessThan(9);
    expect(scale.priceAt(scale.y(6))).toBeCloseTo(6);
  });
});
