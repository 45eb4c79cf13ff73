/**
 * The klines text written in one pass is exactly what Binance's format asks (and what the former
 * array-then-JSON.stringify wrote): 8-decimal strings where they hold the stored double exactly, the
 * shortest exact form otherwise, close time one ms before the next open (calendar months included).
 */
import { describe, expect, it } from 'vitest';
import { nextOpen, type Timeframe } from '../../shared/timeframe.js';
import { decimal, klinesJson, type KlineRow } from './kline-json.js';

/** The rule, the slow way: toFixed(8) when it parses back to the same double. */
const exact = (n: number | null): string => {
  if (n === null) return '0';
  const fixed = n.toFixed(8);
  return Number(fixed) === n ? fixed : String(n);
};

const reference = (rows: KlineRow[], tf: Timeframe): string =>
  JSON.stringify(
    rows.map(([ts, o, h, l, c, v]) => [
      ts,
      exact(o),
      exact(h),
      exact(l),
      exact(c),
      exact(v),
      nextOpen(tf, ts) - 1,
      '0',
      0,
      '0',
      '0',
      '0',
    ]),
  );

describe('klines JSON', () => {
  it('writes every kind of stored number as the exact-decimal rule says', () => {
    const values = [
      0,
      -0,
      1,
      42,
      0.1,
      0.1 + 0.2,
      67_123.45,
      0.00001234,
      1e-9,
      3.14159265358979,
      8_388_607.99999999,
      8_388_608.5,
      123_456_789.12,
      9.87654321e12,
      1e21,
      -17.5,
    ];
    for (let i = 0; i < 20_000; i++)
      values.push(Math.round(Math.random() * 1e12) / 10 ** (i % 12), Math.random() * 10 ** (i % 10));
    for (const n of values) expect(decimal(n)).toBe(exact(n));
    expect(decimal(null)).toBe('0');
  });

  it('writes rows as JSON.stringify would, with close times of fixed timeframes and calendar months', () => {
    const rows: KlineRow[] = [
      [Date.parse('2024-01-01T00:00:00Z'), 42_000.1, 42_100, 41_999.99, 42_050.5, 12.345],
      [Date.parse('2024-02-01T00:00:00Z'), 0.1 + 0.2, 1e-9, 0.00001234, 3.14159265358979, null],
    ];
    for (const tf of ['1m', '1h', '1d', '1w', '1M'] as const) expect(klinesJson(rows, tf)).toBe(reference(rows, tf));
    expect(klinesJson([], '1m')).toBe('[]');
  });
});
