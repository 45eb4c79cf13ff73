import { describe, expect, it } from 'vitest';
import { priceTicks, timeTicks } from './ticks';

describe('price ticks', () => {
  it('picks round steps inside the range', () => {
    expect(priceTicks(39_217, 41_892, 5)).toEqual([39_500, 40_000, 40_500, 41_000, 41_500]);
    expect(priceTicks(0.0801, 0.0839, 4)).toEqual([0.081, 0.082, 0.083]);
  });

  it('gives nothing for an empty range', () => {
    expect(priceTicks(5, 5, 4)).toEqual([]);
  });
});

describe('time ticks', () => {
  it('keeps ticks at least the minimum gap apart, ascending, inside the range', () => {
    const from = Date.UTC(2024, 0, 1);
    const to = from + 3 * 86_400_000;
    const ticks = timeTicks(from, to, 900, 90);
    expect(ticks.length).toBeGreaterThan(2);
    expect(ticks.length).toBeLessThanOrEqual(10);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]!.ts).toBeGreaterThan(ticks[i - 1]!.ts);
    expect(ticks.every((t) => t.ts >= from && t.ts < to)).toBe(true);
  });

  it('steps by years over a long history', () => {
    const from = Date.UTC(2018, 5, 1);
    const to = Date.UTC(2025, 5, 1);
    const ticks = timeTicks(from, to, 700, 80);
    expect(ticks.map((t) => new Date(t.ts).getMonth())).toEqual(ticks.map(() => 0));
  });
});
