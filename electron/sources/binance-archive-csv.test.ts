import { describe, expect, it } from 'vitest';
import { parseArchiveCsv } from './binance-archive-csv.js';
import { parseChecksum } from './binance-archive.js';

const MS_ROW =
  '1704067200000,46159.10000000,46196.49000000,46142.80000000,46145.15000000,42.23544466,1704067259999,1949255.52137890,357,21.96243122,1013612.87096934,0';
const MS_ROW_2 =
  '1704067260000,46145.15000000,46150.53000000,46130.00000000,46140.00000000,1.50000000,1704067319999,69210.00000000,20,0.70000000,32298.00000000,0';
const US_ROW =
  '1735689600000000,93576.00000000,93610.93000000,93537.50000000,93610.93000000,8.21827000,1735689659999999,768978.28752810,1605,3.14980000,294701.04237370,0';

describe('parseArchiveCsv', () => {
  it('reads millisecond rows into candles', () => {
    const { candles, unit } = parseArchiveCsv(`${MS_ROW}\n${MS_ROW_2}\n`);
    expect(unit).toBe('ms');
    expect(candles).toEqual([
      { ts: 1704067200000, open: 46159.1, high: 46196.49, low: 46142.8, close: 46145.15, volume: 42.23544466 },
      { ts: 1704067260000, open: 46145.15, high: 46150.53, low: 46130, close: 46140, volume: 1.5 },
    ]);
  });

  it('reads microsecond rows (spot files from 2025 on) as millisecond open times', () => {
    const { candles, unit } = parseArchiveCsv(`${US_ROW}\r\n`);
    expect(unit).toBe('us');
    expect(candles[0]!.ts).toBe(Date.UTC(2025, 0, 1));
  });

  it('skips a header row like the futures files have', () => {
    const header =
      'open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore';
    expect(parseArchiveCsv(`${header}\n${MS_ROW}\n`).candles).toHaveLength(1);
  });

  it('refuses a file that mixes timestamp units, naming the line', () => {
    expect(() => parseArchiveCsv(`${MS_ROW}\n${US_ROW}\n`)).toThrow(
      /line 2: timestamp in us in a file of ms timestamps/,
    );
  });

  it('refuses short rows, non-numbers and rows out of order', () => {
    expect(() => parseArchiveCsv(MS_ROW.split(',').slice(0, 11).join(','))).toThrow(
      /line 1: expected 12 columns, found 11/,
    );
    expect(() => parseArchiveCsv(MS_ROW.replace('46196.49000000', 'abc'))).toThrow(/line 1: high is not a number/);
    expect(() => parseArchiveCsv(`${MS_ROW_2}\n${MS_ROW}`)).toThrow(
      /line 2: rows are not in ascending open-time order/,
    );
  });

  it('reads every price exactly as Number() would (the fast path must not round differently)', () => {
    let seed = 7;
    const random = (n: number): number => Math.floor(((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * n);
    const prices = [
      '0.00000001',
      '99999999.99999999',
      '1234567.1234567',
      '0.1',
      '5.',
      '.5',
      '1e3',
      '000123.4500',
      '9007199254740993',
      '123456789012345',
    ];
    for (let i = 0; i < 20_000; i++) {
      const int = String(random(10 ** (1 + random(8))));
      const frac = Array.from({ length: random(9) }, () => random(10)).join('');
      prices.push(frac ? `${int}.${frac}` : int);
    }
    const rows = prices.map((p, k) =>
      MS_ROW.replace(/^1704067200000,46159\.10000000/, `${1704067200000 + k * 60_000},${p}`).replace(
        '1704067259999',
        String(1704067259999 + k * 60_000),
      ),
    );
    const { candles } = parseArchiveCsv(rows.join('\n'));
    expect(candles.map((c) => c.open)).toEqual(prices.map(Number));
    expect(candles.every((c, k) => Object.is(c.open, Number(prices[k])))).toBe(true);
  });

  it('reads an empty file as no candles', () => {
    expect(parseArchiveCsv('')).toEqual({ candles: [], unit: null });
  });
});

describe('parseChecksum', () => {
  const hex = 'a'.repeat(40) + 'B'.repeat(24);
  it('reads sha256sum output for the named file', () => {
    expect(parseChecksum(`${hex}  BTCUSDT-1m-2024-01.zip\n`, 'BTCUSDT-1m-2024-01.zip')).toBe(hex.toLowerCase());
    expect(parseChecksum(`${hex} *BTCUSDT-1m-2024-01.zip`, 'BTCUSDT-1m-2024-01.zip')).toBe(hex.toLowerCase());
  });
  it('refuses a checksum for another file, or text that is not one', () => {
    expect(parseChecksum(`${hex}  BTCUSDT-1m-2024-02.zip\n`, 'BTCUSDT-1m-2024-01.zip')).toBeNull();
    expect(parseChecksum('<Error>NoSuchKey</Error>', 'BTCUSDT-1m-2024-01.zip')).toBeNull();
  });
});
