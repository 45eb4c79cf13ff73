/** `candlekeep export` in every format, read back by independent readers, and in constant memory. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readParquet } from 'parquet-wasm';
import { tableFromIPC } from 'apache-arrow';
import { main } from '../cli/main.js';
import { captureIo } from '../test-support/cli-io.js';
import { tempDir } from '../test-support/temp-db.js';
import { peakMemoryDuring } from '../test-support/memory-peak.js';
import { Store } from '../store/store.js';
import type { Candle } from '../../shared/domain.js';

const MINUTE = 60_000;
const YEAR_FROM = Date.UTC(2023, 0, 1);
const YEAR_TO = Date.UTC(2024, 0, 1);

/** Candles with awkward doubles (0.1 + 0.2 style), big and tiny values, and one without volume. */
function sample(from: number, count: number, step = MINUTE): Candle[] {
  return Array.from({ length: count }, (_, i) => {
    const open = 40_000 + ((i * 7919) % 1000) / 100 + 0.1 + 0.2;
    return {
      ts: from + i * step,
      open,
      high: open + 12.34,
      low: open - 0.000001,
      close: open + 1 / 3,
      volume: i === 3 ? null : (i * 104_729) / 1e8,
    };
  });
}

describe('candlekeep export', () => {
  let dir: { dir: string; cleanup: () => void };
  let db: string;
  let stored: Candle[];
  const small = [
    '--source',
    'binance',
    '--symbol',
    'BTCUSDT',
    '--timeframe',
    '1m',
    '--from',
    '2024-01-01',
    '--to',
    '2024-01-02',
  ];

  beforeAll(() => {
    dir = tempDir();
    db = path.join(dir.dir, 'candles.db');
    const store = Store.open(db);
    const put = (key: { source: string; symbol: string; timeframe: '1m' | '1h' | '1M' }, candles: Candle[]): void => {
      const series = store.series.ensure(key, candles[0]!.ts, 0);
      store.transaction(() => store.candles.upsert(series.id, candles));
    };
    stored = sample(Date.UTC(2024, 0, 1), 1440);
    put({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, stored);
    put(
      { source: 'binance', symbol: 'BTCUSDT', timeframe: '1M' },
      sample(Date.UTC(2024, 0, 1), 1).concat(sample(Date.UTC(2024, 1, 1), 1)),
    );
    put({ source: 'ccxt:kraken', symbol: 'BTC/USD', timeframe: '1h' }, sample(Date.UTC(2024, 0, 1), 24, 60 * MINUTE));
    put({ source: 'yahoo', symbol: 'AAPL', timeframe: '1h' }, sample(Date.UTC(2024, 0, 2), 7, 60 * MINUTE));
    put({ source: 'binance', symbol: 'ETHUSDT', timeframe: '1m' }, sample(YEAR_FROM, (YEAR_TO - YEAR_FROM) / MINUTE));
    store.close();
  });
  afterAll(() => dir.cleanup());

  async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const c = captureIo({});
    const code = await main([...argv, '--db', db], c.io);
    return { code, out: c.out(), err: c.err() };
  }
  const file = (name: string): string => path.join(dir.dir, name);

  it('writes CSV with a header and every stored candle, volume empty where there is none', async () => {
    const { code, out } = await run('export', ...small);
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('ts,open,high,low,close,volume');
    const back = lines
      .slice(1)
      .map((l) => l.split(','))
      .map(([ts, o, h, lo, c, v]) => ({
        ts: Number(ts),
        open: Number(o),
        high: Number(h),
        low: Number(lo),
        close: Number(c),
        volume: v === '' ? null : Number(v),
      }));
    expect(back).toEqual(stored);
  });

  it('writes JSON that JSON.parse reads back to exactly the stored candles', async () => {
    const { code } = await run('export', ...small, '--format', 'json', '--out', file('c.json'));
    expect(code).toBe(0);
    expect(JSON.parse(fs.readFileSync(file('c.json'), 'utf8'))).toEqual(stored);
  });

  it('writes Parquet that an independent reader (parquet-wasm + Arrow) reads back to exactly the stored candles', async () => {
    const { code } = await run('export', ...small, '--format', 'parquet', '--out', file('c.parquet'));
    expect(code).toBe(0);
    const table = tableFromIPC(readParquet(new Uint8Array(fs.readFileSync(file('c.parquet')))).intoIPCStream());
    expect(table.schema.fields.map((f) => `${f.name} ${String(f.type)} ${f.nullable ? 'null' : 'required'}`)).toEqual([
      'ts Timestamp<MILLISECOND, UTC> required',
      'open Float64 required',
      'high Float64 required',
      'low Float64 required',
      'close Float64 required',
      'volume Float64 null',
    ]);
    expect(table.toArray().map((row) => row.toJSON())).toEqual(stored);
    expect(fs.existsSync(file('c.parquet.partial'))).toBe(false);
  });

  it('writes a freqtrade data directory: <exchange>/<BASE_QUOTE>-<timeframe>.json of [ms, o, h, l, c, v] rows', async () => {
    const ft = file('freqtrade');
    const { code, out } = await run('export', ...small, '--freqtrade', ft);
    expect(code).toBe(0);
    const json = path.join(ft, 'binance', 'BTC_USDT-1m.json');
    expect(out).toContain(
      `wrote 1440 candles to ${json}\nbacktest with: freqtrade backtesting --datadir ${path.join(ft, 'binance')} --data-format-ohlcv json --timeframe 1m --pairs BTC/USDT`,
    );
    const rows = stored.map((c) => [c.ts, c.open, c.high, c.low, c.close, c.volume ?? 0]);
    expect(JSON.parse(fs.readFileSync(json, 'utf8'))).toEqual(rows);

    expect((await run('export', ...small, '--freqtrade', ft, '--freqtrade-format', 'jsongz')).code).toBe(0);
    expect(JSON.parse(gunzipSync(fs.readFileSync(path.join(ft, 'binance', 'BTC_USDT-1m.json.gz'))).toString())).toEqual(
      rows,
    );

    expect(
      (await run('export', '--source', 'binance', '--symbol', 'BTCUSDT', '--timeframe', '1M', '--freqtrade', ft)).code,
    ).toBe(0);
    expect(fs.existsSync(path.join(ft, 'binance', 'BTC_USDT-1Mo.json'))).toBe(true);
  });

  it('names ccxt markets by exchange and pair, and asks for --pair where the symbol does not tell', async () => {
    const ft = file('freqtrade2');
    expect(
      (await run('export', '--source', 'ccxt:kraken', '--symbol', 'BTC/USD', '--timeframe', '1h', '--freqtrade', ft))
        .code,
    ).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(ft, 'kraken', 'BTC_USD-1h.json'), 'utf8'))).toHaveLength(24);
    expect(
      await run('export', '--source', 'yahoo', '--symbol', 'AAPL', '--timeframe', '1h', '--freqtrade', ft),
    ).toMatchObject({
      code: 2,
      err: 'candlekeep export: cannot tell the base and quote of AAPL: pass --pair BASE/QUOTE (e.g. --pair BTC/USDT)\n',
    });
    expect(
      (
        await run(
          'export',
          '--source',
          'yahoo',
          '--symbol',
          'AAPL',
          '--timeframe',
          '1h',
          '--freqtrade',
          ft,
          '--pair',
          'AAPL/USD',
        )
      ).code,
    ).toBe(0);
    expect(fs.existsSync(path.join(ft, 'yahoo', 'AAPL_USD-1h.json'))).toBe(true);
  });

  it('refuses an unknown format, and Parquet onto a terminal, in one line', async () => {
    expect(await run('export', ...small, '--format', 'xlsx')).toMatchObject({
      code: 2,
      err: "candlekeep export: unknown --format 'xlsx': use csv, json, parquet\n",
    });
    const c = captureIo({});
    Object.assign(c.io.stdout, { isTTY: true });
    expect(await main(['export', ...small, '--format', 'parquet', '--db', db], c.io)).toBe(2);
    expect(c.err()).toBe('candlekeep export: Parquet is binary: pass --out FILE, or pipe stdout into a file\n');
  });

  describe('a year of 1m candles (525,600)', () => {
    const year = ['--source', 'binance', '--symbol', 'ETHUSDT', '--timeframe', '1m'];
    /** Holding the year as candles takes far more than this; a streaming export stays well below. */
    const BOUND = 24 * 1024 * 1024;

    it('would not fit under the bound if held in memory (the bound can fail)', async () => {
      const store = Store.open(db, { readonly: true });
      const { peak } = await peakMemoryDuring(async () => {
        const all = store.candles.range(
          store.series.find({ source: 'binance', symbol: 'ETHUSDT', timeframe: '1m' })!.id,
          YEAR_FROM,
          YEAR_TO,
        );
        await new Promise((r) => setTimeout(r, 50));
        return all.length;
      });
      store.close();
      expect(peak).toBeGreaterThan(BOUND);
    });

    it.each([
      ['csv', [], '--out', 'year.csv'],
      ['json', ['--format', 'json'], '--out', 'year.json'],
      ['parquet', ['--format', 'parquet'], '--out', 'year.parquet'],
      ['freqtrade', [], '--freqtrade', 'year-freqtrade'],
    ])('exports as %s in constant memory', async (_name, format, flag, target) => {
      const { result, peak } = await peakMemoryDuring(() => run('export', ...year, ...format, flag, file(target)));
      expect(result.code).toBe(0);
      expect(peak).toBeLessThan(BOUND);
    });

    it('reads the year back from Parquet, row groups and all', async () => {
      const table = tableFromIPC(readParquet(new Uint8Array(fs.readFileSync(file('year.parquet')))).intoIPCStream());
      expect(table.numRows).toBe(525_600);
      expect(table.getChild('ts')!.get(525_599)).toBe(YEAR_TO - MINUTE);
    });
  });
});
