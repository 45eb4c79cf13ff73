/** The quality checks' pure rules, case by case. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ANOMALY_CONFIG, FlatRunFinder, outliers } from './anomalies.js';
import { aggregate, mismatchedFields, tiles, timeframePairs } from './timeframe-check.js';
import { compareCloses, representatives, type Quote } from './source-check.js';
import type { Candle, Series } from '../../shared/domain.js';
import type { Timeframe } from '../../shared/timeframe.js';

const T = Date.parse('2024-03-10T00:00:00Z');
const M = 60_000;
const flat = (ts: number, p: number): Candle => ({ ts, open: p, high: p, low: p, close: p, volume: 0 });

/** 200 candles wobbling ±0.1% with volumes around 10, deterministic. */
function quiet(): Candle[] {
  let price = 100;
  return Array.from({ length: 200 }, (_, i) => {
    const open = price;
    price *= 1 + 0.001 * Math.sin(i * 1.7);
    return {
      ts: T + i * M,
      open,
      high: Math.max(open, price) * 1.0002,
      low: Math.min(open, price) * 0.9998,
      close: price,
      volume: 10 + 5 * Math.cos(i * 2.3),
    };
  });
}

describe('outliers (median/MAD)', () => {
  it('quiet candles: none', () => {
    expect(outliers(quiet(), '1m', T, T + 200 * M, DEFAULT_ANOMALY_CONFIG)).toEqual([]);
  });

  it.each<[string, (c: Candle[]) => void, Array<[string, number]>]>([
    [
      'a 3% jump: the move in and the move out',
      (c) => {
        c[100]!.close *= 1.03;
        c[100]!.high = c[100]!.close;
      },
      [
        ['return_outlier', 100],
        ['return_outlier', 101],
      ],
    ],
    [
      'a hundredfold volume',
      (c) => {
        c[50]!.volume = 1_000;
      },
      [['volume_outlier', 50]],
    ],
    [
      'a tenth of the usual volume is not flagged (only spikes)',
      (c) => {
        c[50]!.volume = 1;
      },
      [],
    ],
    [
      "a jump across a hole is not one candle's move",
      (c) => {
        c.splice(120, 1);
        c[120]!.close *= 1.03;
        c[120]!.high = c[120]!.close;
      },
      [['return_outlier', 122]],
    ],
    [
      'outside the judged range: not flagged',
      (c) => {
        c[10]!.close *= 1.03;
        c[10]!.high = c[10]!.close;
      },
      [],
    ],
  ])('%s', (_name, spoil, expected) => {
    const candles = quiet();
    spoil(candles);
    const flags = outliers(candles, '1m', T + 20 * M, T + 200 * M, DEFAULT_ANOMALY_CONFIG);
    expect(flags.map((f) => [f.kind, (f.ts - T) / M])).toEqual(expected);
  });

  it('too few candles to judge: nothing, whatever they hold', () => {
    const candles = quiet().slice(0, 20);
    candles[10]!.close *= 2;
    expect(outliers(candles, '1m', T, T + 20 * M, DEFAULT_ANOMALY_CONFIG)).toEqual([]);
  });
});

describe('FlatRunFinder', () => {
  it.each<[string, Candle[], Array<[number, number, number]>]>([
    ['five identical flat candles', [0, 1, 2, 3, 4].map((i) => flat(T + i * M, 7)), [[0, 5, 5]]],
    ['four are not enough', [0, 1, 2, 3].map((i) => flat(T + i * M, 7)), []],
    [
      'a different price starts a new run',
      [...[0, 1, 2, 3, 4].map((i) => flat(T + i * M, 7)), ...[5, 6, 7, 8, 9].map((i) => flat(T + i * M, 8))],
      [
        [0, 5, 5],
        [5, 10, 5],
      ],
    ],
    ['a hole breaks a run', [0, 1, 2, 4, 5, 6].map((i) => flat(T + i * M, 7)), []],
    [
      'a candle with a range breaks a run',
      [
        ...[0, 1, 2].map((i) => flat(T + i * M, 7)),
        { ...flat(T + 3 * M, 7), high: 7.1 },
        ...[4, 5, 6].map((i) => flat(T + i * M, 7)),
      ],
      [],
    ],
  ])('%s', (_name, candles, expected) => {
    const finder = new FlatRunFinder('1m', 5);
    const runs = [...candles.map((c) => finder.push(c)), finder.finish()].filter((r) => r !== null);
    expect(runs.map((r) => [(r.ts - T) / M, (r.toTs - T) / M, r.data.count])).toEqual(expected);
  });
});

describe('cross-timeframe rules', () => {
  it.each<[Timeframe, Timeframe, boolean]>([
    ['1m', '1h', true],
    ['5m', '1h', true],
    ['1h', '4h', true],
    ['1h', '1d', true],
    ['4h', '1d', true],
    ['1d', '1w', true],
    ['1d', '1M', true],
    ['1h', '1M', true],
    ['1d', '3d', true],
    ['3d', '1w', false],
    ['1w', '1M', false],
    ['1h', '1h', false],
    ['1h', '1m', false],
    ['1M', '1M', false],
  ])('%s tiles %s: %s', (lower, higher, expected) => {
    expect(tiles(lower, higher)).toBe(expected);
  });

  it('aggregate: first open, highest high, lowest low, last close, summed volume (null if any is)', () => {
    const parts: Candle[] = [
      { ts: T, open: 10, high: 12, low: 9, close: 11, volume: 1.1 },
      { ts: T + M, open: 11, high: 15, low: 10, close: 14, volume: 2.2 },
      { ts: T + 2 * M, open: 14, high: 14, low: 8, close: 9, volume: 3.3 },
    ];
    expect(aggregate(T, parts)).toEqual({ ts: T, open: 10, high: 15, low: 8, close: 9, volume: 1.1 + 2.2 + 3.3 });
    expect(aggregate(T, [parts[0]!, { ...parts[1]!, volume: null }]).volume).toBeNull();
    expect(mismatchedFields({ ts: T, open: 10, high: 15, low: 8, close: 9, volume: 6.6 }, aggregate(T, parts))).toEqual(
      [],
    );
    expect(
      mismatchedFields({ ts: T, open: 10, high: 15.5, low: 8, close: 9.5, volume: 6.6 }, aggregate(T, parts)),
    ).toEqual(['high', 'close']);
  });

  it('pairs each series with the nearest lower timeframe of the same source and symbol', () => {
    const s = (id: number, source: string, symbol: string, timeframe: Timeframe): Series => ({
      id,
      source,
      symbol,
      timeframe,
      startTs: 0,
      enabled: true,
      createdAt: 0,
    });
    const all = [
      s(1, 'binance', 'BTCUSDT', '1m'),
      s(2, 'binance', 'BTCUSDT', '5m'),
      s(3, 'binance', 'BTCUSDT', '1h'),
      s(4, 'binance', 'ETHUSDT', '1d'),
      s(5, 'yahoo', 'BTC-USD', '1d'),
    ];
    expect(timeframePairs(all).map((p) => [p.lower.id, p.higher.id])).toEqual([
      [1, 2],
      [2, 3],
    ]);
    const asset = {
      name: 'BTC',
      tolerance: 0.005,
      listings: [
        { source: 'binance', symbol: 'BTCUSDT' },
        { source: 'yahoo', symbol: 'BTC-USD' },
      ],
    };
    expect(representatives(asset, all).map((x) => x.id)).toEqual([1, 5]);
  });
});

describe('compareCloses', () => {
  const q = (source: string, close: number): Quote => ({
    seriesId: source.length,
    source,
    symbol: source.toUpperCase(),
    ts: T,
    close,
  });
  it.each<[string, Quote[], Array<[string, boolean]>]>([
    ['one source: nothing to compare', [q('a', 100)], []],
    [
      'two within tolerance',
      [q('a', 100), q('bb', 100.3)],
      [
        ['a', false],
        ['bb', false],
      ],
    ],
    [
      'two apart: both flagged (neither can be told right)',
      [q('a', 100), q('bb', 101)],
      [
        ['a', true],
        ['bb', true],
      ],
    ],
    [
      'three, one off: only it',
      [q('a', 100), q('bb', 100.2), q('ccc', 103)],
      [
        ['a', false],
        ['bb', false],
        ['ccc', true],
      ],
    ],
    [
      'three within tolerance',
      [q('a', 100), q('bb', 100.2), q('ccc', 99.8)],
      [
        ['a', false],
        ['bb', false],
        ['ccc', false],
      ],
    ],
  ])('%s', (_name, quotes, expected) => {
    expect(compareCloses(quotes, 0.005).map((d) => [d.quote.source, d.flagged])).toEqual(expected);
  });
});
