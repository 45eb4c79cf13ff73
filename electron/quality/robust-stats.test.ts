import { describe, expect, it } from 'vitest';
import { median, robustScale, robustScore } from './robust-stats.js';

describe('robust statistics', () => {
  it.each([
    [[], Number.NaN],
    [[3], 3],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2.5],
    [[1, 1, 1, 1000], 1],
  ])('median of %j is %d', (values, expected) => {
    expect(median(values)).toEqual(expected);
  });

  it('one wild value does not move the scale; it scores far out, the rest near 0', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 1000];
    const scale = robustScale(values, 5)!;
    expect(scale).toEqual({ median: 5.5, spread: 2.5 });
    expect(robustScore(1000, scale)).toBeCloseTo(268.3, 1);
    expect(Math.abs(robustScore(9, scale))).toBeLessThan(1);
  });

  it('mostly equal values (MAD 0) fall back to the mean absolute deviation', () => {
    const values = [0, 0, 0, 0, 0, 0, 0, 1];
    const scale = robustScale(values, 5)!;
    expect(scale.median).toBe(0);
    expect(scale.spread).toBeCloseTo((1.253314 * 0.125) / 1.4826, 10);
  });

  it.each([
    ['too few values', [1, 2, 3], 5],
    ['all equal', [2, 2, 2, 2, 2, 2], 5],
  ])('no scale from %s', (_name, values, min) => {
    expect(robustScale(values, min)).toBeNull();
  });
});
