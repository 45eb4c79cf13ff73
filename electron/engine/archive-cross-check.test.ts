import { describe, expect, it } from 'vitest';
import { crossCheck } from './archive-cross-check.js';
import type { Candle } from '../../shared/domain.js';

const day = (n = 1440): Candle[] =>
  Array.from({ length: n }, (_, i) => ({
    ts: i * 60_000,
    open: 1 + i,
    high: 2 + i,
    low: 0.5 + i,
    close: 1.5 + i,
    volume: i,
  }));

describe('crossCheck', () => {
  it('trusts identical candles', () => {
    expect(crossCheck(day(), day())).toEqual({ compared: 1440, differing: 0, firstDifference: null, trusted: true });
  });
  it('takes a few differing candles for revisions', () => {
    const rest = day();
    rest[700] = { ...rest[700]!, close: 9 };
    expect(crossCheck(day(), rest)).toEqual({
      compared: 1440,
      differing: 1,
      firstDifference: 700 * 60_000,
      trusted: true,
    });
  });
  it('distrusts a systematic difference, such as shifted times or candles only one side has', () => {
    expect(
      crossCheck(
        day().map((c) => ({ ...c, ts: c.ts + 60_000 })),
        day(),
      ).trusted,
    ).toBe(false);
    expect(crossCheck(day(1400), day())).toMatchObject({ compared: 1440, differing: 40, trusted: false });
  });
});
