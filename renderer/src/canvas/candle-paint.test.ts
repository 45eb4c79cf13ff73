import { describe, expect, it } from 'vitest';
import type { CandleBucket, CandleBucketsResult } from '../../../shared/domain';
import {
  bucketAt,
  chartLayout,
  maxBucketsFor,
  paintChart,
  priceScale,
  visibleBuckets,
  type ChartPalette,
} from './candle-paint';

const candle = (ts: number, low: number, high: number): CandleBucket => ({
  ts,
  open: low,
  high,
  low,
  close: high,
  volume: 1,
  count: 1,
});
const result: CandleBucketsResult = {
  seriesId: 1,
  from: 0,
  to: 100,
  bucketMs: 10,
  buckets: [candle(0, 5, 6), candle(10, 4, 8), candle(40, 7, 9)],
};

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

  it('draws the forming candle apart from the stored ones: dashed and hollow, only where it falls in view', () => {
    /** A 2D context that records the calls a paint makes (node has no canvas). */
    const recorder = (): {
      ctx: CanvasRenderingContext2D;
      calls: Array<{ name: string; args: unknown[]; dash: unknown }>;
    } => {
      const calls: Array<{ name: string; args: unknown[]; dash: unknown }> = [];
      let dash: unknown = [];
      const ctx = new Proxy({} as Record<string, unknown>, {
        get: (target, name: string) =>
          name in target
            ? target[name]
            : (...args: unknown[]) => {
                if (name === 'setLineDash') dash = args[0];
                calls.push({ name, args, dash });
                return { width: 10 };
              },
        set: (target, name: string, value) => ((target[name] = value), true),
      });
      return { ctx: ctx as unknown as CanvasRenderingContext2D, calls };
    };
    const palette = Object.fromEntries(
      ['up', 'down', 'volume', 'grid', 'text', 'crosshair', 'panel', 'fg', 'hole'].map((k) => [k, k]),
    ) as ChartPalette;
    const layout = chartLayout(500, 300);
    const forming = candle(50, 6, 10);
    const drawn = recorder();
    paintChart(drawn.ctx, result, { from: 0, to: 60 }, layout, palette, forming);
    const strokes = drawn.calls.filter((c) => c.name === 'strokeRect' || c.name === 'stroke');
    expect(strokes.length).toBe(2);
    expect(strokes.every((c) => Array.isArray(c.dash) && (c.dash as number[]).length > 0)).toBe(true);
    const outOfView = recorder();
    paintChart(outOfView.ctx, result, { from: 0, to: 40 }, layout, palette, forming);
    expect(outOfView.calls.some((c) => c.name === 'strokeRect')).toBe(false);
  });
});
