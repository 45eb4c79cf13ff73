import { describe, expect, it } from 'vitest';
import { candleFault, packedRowsValid, rawText, validateCandles, type ValidationContext } from './validate.js';
import { PackedCandles } from '../sources/packed-candles.js';
import { rejectedSlots } from './rejected-holes.js';
import type { Candle } from '../../shared/domain.js';
import type { RejectReason } from '../../shared/quality.js';

const T = Date.parse('2024-03-10T00:00:00Z');
const M = 60_000;
const ctx: ValidationContext = {
  timeframe: '1m',
  window: { from: T, to: T + 10 * M },
  now: T + 20 * M + 5_000,
  hasVolume: true,
};
const good = (ts: number, over: Partial<Candle> = {}): Candle => ({
  ts,
  open: 100,
  high: 102,
  low: 99,
  close: 101,
  volume: 5,
  ...over,
});

describe('candleFault: one rule per case', () => {
  const cases: Array<[string, Candle, RejectReason | null, Partial<ValidationContext>?]> = [
    ['a valid candle', good(T), null],
    [
      'open = high = low = close, zero volume',
      good(T, { open: 100, high: 100, low: 100, close: 100, volume: 0 }),
      null,
    ],
    ['null volume from a source without volume', good(T, { volume: null }), null, { hasVolume: false }],
    ['null volume from a source with volume', good(T, { volume: null }), 'missing_volume'],
    ['NaN close', good(T, { close: Number.NaN }), 'not_finite'],
    ['infinite high', good(T, { high: Infinity }), 'not_finite'],
    ['NaN volume', good(T, { volume: Number.NaN }), 'not_finite'],
    ['a fractional open time', good(T + 0.5), 'not_finite'],
    ['an infinite open with an infinite high', good(T, { open: Infinity, high: Infinity }), 'not_finite'],
    [
      'a monthly candle on the grid',
      good(Date.parse('2024-02-01T00:00:00Z')),
      null,
      {
        timeframe: '1M',
        window: { from: Date.parse('2024-01-01T00:00:00Z'), to: Date.parse('2024-04-01T00:00:00Z') },
        now: Date.parse('2024-04-02T00:00:00Z'),
      },
    ],
    [
      'a monthly candle off the grid',
      good(Date.parse('2024-02-02T00:00:00Z')),
      'off_grid',
      {
        timeframe: '1M',
        window: { from: Date.parse('2024-01-01T00:00:00Z'), to: Date.parse('2024-04-01T00:00:00Z') },
        now: Date.parse('2024-04-02T00:00:00Z'),
      },
    ],
    [
      'a weekly candle on a Monday',
      good(Date.parse('2024-03-04T00:00:00Z')),
      null,
      {
        timeframe: '1w',
        window: { from: Date.parse('2024-03-04T00:00:00Z'), to: Date.parse('2024-03-11T00:00:00Z') },
        now: Date.parse('2024-03-12T00:00:00Z'),
      },
    ],
    [
      'a weekly candle on a Sunday',
      good(Date.parse('2024-03-03T00:00:00Z')),
      'off_grid',
      {
        timeframe: '1w',
        window: { from: Date.parse('2024-03-01T00:00:00Z'), to: Date.parse('2024-03-11T00:00:00Z') },
        now: Date.parse('2024-03-12T00:00:00Z'),
      },
    ],
    ['high below the close', good(T, { high: 100.5 }), 'high_below_max'],
    ['high below the open', good(T, { open: 103 }), 'high_below_max'],
    ['low above the open', good(T, { low: 100.5, close: 100.6 }), 'low_above_min'],
    ['low above the close', good(T, { open: 101.5, close: 100, low: 100.2 }), 'low_above_min'],
    ['low zero', good(T, { low: 0 }), 'low_not_positive'],
    ['every price negative', good(T, { open: -1, high: -1, low: -1, close: -1 }), 'low_not_positive'],
    ['negative volume', good(T, { volume: -0.1 }), 'negative_volume'],
    ['off the 1m grid', good(T + 30_000), 'off_grid'],
    [
      'off the 1h grid',
      good(T + 5 * M),
      'off_grid',
      { timeframe: '1h', window: { from: T, to: T + 3_600_000 }, now: T + 7_200_000 },
    ],
    ['opens after now', good(T + 30 * M), 'future'],
    ['still forming', good(T + 20 * M), 'forming'],
    ['closed, but after the window', good(T + 12 * M), 'outside_window'],
    ['closed, but before the window', good(T - M), 'outside_window'],
  ];
  it.each(cases)('%s', (_name, candle, reason, over) => {
    expect(candleFault(candle, { ...ctx, ...over })?.reason ?? null).toBe(reason);
    // The page's fast path agrees with the rule by rule check (beside a candle with volume, for missing_volume).
    const page = validateCandles(reason === 'missing_volume' ? [candle, good(T + M)] : [candle], { ...ctx, ...over });
    expect([page.rejected.length, page.rejected[0]?.reason ?? null]).toEqual(reason === null ? [0, null] : [1, reason]);
    // So does the check of packed rows (bulk history, always with volume); calendar months always take the candle path.
    if (candle.volume !== null && candle.volume !== undefined) {
      const rows = new PackedCandles(
        Float64Array.of(candle.ts, candle.open, candle.high, candle.low, candle.close, candle.volume),
      );
      const context = { ...ctx, ...over, hasVolume: false };
      expect(packedRowsValid(rows, context)).toBe(reason === null && context.timeframe !== '1M');
    }
  });

  it('packed rows pass only in strictly ascending order, each once', () => {
    const row = (ts: number): number[] => [ts, 100, 102, 99, 101, 5];
    const packed = (...ts: number[]): PackedCandles => new PackedCandles(Float64Array.from(ts.flatMap(row)));
    expect(packedRowsValid(packed(T, T + M, T + 2 * M), ctx)).toBe(true);
    expect(packedRowsValid(packed(T, T + 2 * M, T + M), ctx)).toBe(false);
    expect(packedRowsValid(packed(T, T + M, T + M), ctx)).toBe(false);
    expect(packedRowsValid(packed(T, T + M).within({ from: T + M, to: T + 2 * M }), ctx)).toBe(true);
  });
});

describe('validateCandles: pages', () => {
  it('a healthy page is returned as it is (no copy)', () => {
    const page = [good(T), good(T + M), good(T + 2 * M)];
    const out = validateCandles(page, ctx);
    expect(out.candles).toBe(page);
    expect(out).toMatchObject({ rejected: [], folded: 0 });
  });

  it('a page without any volume is an instrument without volume: kept; one missing among others is rejected', () => {
    const none = validateCandles([good(T, { volume: null }), good(T + M, { volume: null })], ctx);
    expect(none.candles).toHaveLength(2);
    const some = validateCandles([good(T, { volume: null }), good(T + M)], ctx);
    expect([some.candles.map((c) => c.ts), some.rejected.map((r) => [r.ts, r.reason])]).toEqual([
      [T + M],
      [[T, 'missing_volume']],
    ]);
  });

  it('out-of-order rows are sorted; an exact duplicate is folded into one', () => {
    const out = validateCandles([good(T + 2 * M), good(T), good(T + M), good(T)], ctx);
    expect(out.candles.map((c) => c.ts)).toEqual([T, T + M, T + 2 * M]);
    expect(out).toMatchObject({ rejected: [], folded: 1 });
  });

  it('two different candles with one open time are both rejected, each with its raw row', () => {
    const raw = [['row0'], ['row1'], ['row2']];
    const out = validateCandles([good(T), good(T + M), good(T + M, { close: 101.5 })], ctx, raw);
    expect(out.candles.map((c) => c.ts)).toEqual([T]);
    expect(out.rejected.map((r) => [r.ts, r.reason, r.raw])).toEqual([
      [T + M, 'conflicting_duplicate', ['row1']],
      [T + M, 'conflicting_duplicate', ['row2']],
    ]);
  });

  it('a conflict where one version also breaks a rule: that one gets its own reason', () => {
    const out = validateCandles([good(T, { high: 100 }), good(T)], ctx);
    expect(out.rejected.map((r) => r.reason).sort()).toEqual(['conflicting_duplicate', 'high_below_max']);
    expect(out.candles).toEqual([]);
  });

  it('invalid candles are taken out, the rest kept in order; without a raw row the candle itself is kept', () => {
    const bad = good(T + M, { low: -1 });
    const out = validateCandles([good(T), bad, good(T + 2 * M)], ctx);
    expect(out.candles.map((c) => c.ts)).toEqual([T, T + 2 * M]);
    expect(out.rejected).toEqual([
      { ts: T + M, reason: 'low_not_positive', detail: 'low -1 is not positive', raw: bad },
    ]);
  });

  it('raw text keeps non-finite numbers visible', () => {
    expect(rawText(good(T, { close: Number.NaN }))).toBe(
      `{"ts":${T},"open":100,"high":102,"low":99,"close":"NaN","volume":5}`,
    );
    expect(rawText([T, 'NaN'])).toBe(`[${T},"NaN"]`);
  });
});

describe('rejectedSlots: the holes rejected candles leave', () => {
  const window = { from: T, to: T + 10 * M };
  const r = (ts: number, reason: RejectReason) => ({ ts, reason, detail: '', raw: null });
  const none = (): boolean => false;
  const cases: Array<
    [string, ReturnType<typeof r>[], (slot: number) => boolean, number, Array<{ from: number; to: number }>]
  > = [
    [
      'one bad candle: its slot',
      [r(T + 3 * M, 'high_below_max')],
      none,
      window.to,
      [{ from: T + 3 * M, to: T + 4 * M }],
    ],
    [
      'adjacent bad candles merge',
      [r(T + 3 * M, 'not_finite'), r(T + 4 * M, 'negative_volume')],
      none,
      window.to,
      [{ from: T + 3 * M, to: T + 5 * M }],
    ],
    [
      'a conflicting pair: one slot',
      [r(T + M, 'conflicting_duplicate'), r(T + M, 'conflicting_duplicate')],
      none,
      window.to,
      [{ from: T + M, to: T + 2 * M }],
    ],
    [
      'off grid: the slot it falls in',
      [r(T + 5 * M + 30_000, 'off_grid')],
      none,
      window.to,
      [{ from: T + 5 * M, to: T + 6 * M }],
    ],
    [
      'off grid, but that slot has a good candle',
      [r(T + 5 * M + 30_000, 'off_grid')],
      (s) => s === T + 5 * M,
      window.to,
      [],
    ],
    ['a bad re-read of a stored candle', [r(T + 2 * M, 'low_above_min')], (s) => s === T + 2 * M, window.to, []],
    [
      'future, forming and outside the window claim no slot',
      [r(T + 30 * M, 'future'), r(T + 20 * M, 'forming'), r(T + 12 * M, 'outside_window')],
      none,
      window.to,
      [],
    ],
    ['at or past the live edge: not yet a hole', [r(T + 9 * M, 'not_finite')], none, T + 9 * M, []],
  ];
  it.each(cases)('%s', (_name, rejected, filled, edge, expected) => {
    expect(rejectedSlots('1m', window, edge, rejected, filled)).toEqual(expected);
  });
});
