/**
 * Asserting that two long candle lists are equal. A deep toEqual on 100k+ candles costs seconds;
 * this compares in a loop and hands only the first differing candle to expect, for a readable diff.
 */
import { expect } from 'vitest';
import type { Candle } from '../../shared/domain.js';

const same = (a: Candle | undefined, b: Candle | undefined): boolean =>
  !!a &&
  !!b &&
  a.ts === b.ts &&
  a.open === b.open &&
  a.high === b.high &&
  a.low === b.low &&
  a.close === b.close &&
  a.volume === b.volume;

export function expectSameCandles(actual: readonly Candle[], expected: readonly Candle[]): void {
  const n = Math.max(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    if (!same(actual[i], expected[i])) {
      expect({ index: i, candle: actual[i] }).toEqual({ index: i, candle: expected[i] });
    }
  }
  expect(actual.length).toBe(expected.length);
}
