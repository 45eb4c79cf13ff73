/** `candlekeep import`: candle CSVs with a column mapping, validated whole before anything is stored. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { main } from '../cli/main.js';
import { captureIo } from '../test-support/cli-io.js';
import { tempDir } from '../test-support/temp-db.js';
import { Store } from '../store/store.js';
import { unlookedHole } from '../engine/hole-ledger.js';

const T0 = Date.UTC(2024, 0, 1);
const M = 60_000;

describe('candlekeep import', () => {
  let dir: { dir: string; cleanup: () => void };
  let n = 0;
  beforeAll(() => {
    dir = tempDir();
  });
  afterAll(() => dir.cleanup());

  const csv = (text: string): string => {
    const file = path.join(dir.dir, `in-${++n}.csv`);
    fs.writeFileSync(file, text);
    return file;
  };
  const db = (): string => path.join(dir.dir, `db-${n}.db`);
  async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const c = captureIo({});
    const code = await main(argv, c.io);
    return { code, out: c.out(), err: c.err() };
  }
  const key = ['--source', 'binance', '--symbol', 'BTCUSDT', '--timeframe', '1m'];
  const stored = (file: string) => {
    const store = Store.open(file, { readonly: true });
    const series = store.series.find({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' });
    const candles = series ? store.candles.range(series.id, 0, Number.MAX_SAFE_INTEGER) : null;
    store.close();
    return candles;
  };

  it('imports a headerless file of ts,open,high,low,close,volume in ms', async () => {
    const file = csv(`${T0},100.5,101,100,100.75,3.5\n${T0 + M},100.75,102,100.5,101.25,\r\n\n`);
    const { code, out } = await run('import', ...key, '--file', file, '--db', db());
    expect(code).toBe(0);
    expect(out).toBe(
      `imported 2 candles (2 new or changed) into binance BTCUSDT 1m from ${path.basename(file)}, 2024-01-01T00:00:00.000Z..2024-01-01T00:01:00.000Z, timestamps in ms\n`,
    );
    expect(stored(db())).toEqual([
      { ts: T0, open: 100.5, high: 101, low: 100, close: 100.75, volume: 3.5 },
      { ts: T0 + M, open: 100.75, high: 102, low: 100.5, close: 101.25, volume: null },
    ]);
    const again = await run('import', ...key, '--file', file, '--db', db());
    expect(again.out).toContain('imported 2 candles (0 new or changed)');
  });

  it('fills an open hole of the ledger with what it imports, and keeps the part still missing', async () => {
    const file = csv(`${T0 + 2 * M},1,2,0.5,1.5,1\n${T0 + 3 * M},1,2,0.5,1.5,1\n`);
    const target = db();
    const store = Store.open(target);
    const series = store.series.ensure({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, T0, T0);
    store.holes.replace(series.id, [], [unlookedHole({ from: T0 + M, to: T0 + 5 * M }, 'missing', T0)], T0);
    store.close();
    expect((await run('import', ...key, '--file', file, '--db', target)).code).toBe(0);
    const after = Store.open(target, { readonly: true });
    expect(after.holes.list(series.id).map((h) => [h.fromTs - T0, h.toTs - T0, h.state])).toEqual([
      [M, 2 * M, 'open'],
      [4 * M, 5 * M, 'open'],
    ]);
    after.close();
  });

  it('maps columns by header name, in any order, with timestamps in seconds or ISO 8601', async () => {
    const file = csv(
      `Volume,Close,Low,High,Open,Time\n7,10.5,9,11,10,${T0 / 1000}\n8,10.25,10,10.75,10.5,${T0 / 1000 + 60}\n`,
    );
    const { code, out } = await run(
      'import',
      ...key,
      '--file',
      file,
      '--db',
      db(),
      '--columns',
      'ts=Time,open=Open,high=High,low=Low,close=Close,volume=Volume',
    );
    expect(code).toBe(0);
    expect(out).toContain('timestamps in s');
    expect(stored(db())).toEqual([
      { ts: T0, open: 10, high: 11, low: 9, close: 10.5, volume: 7 },
      { ts: T0 + M, open: 10.5, high: 10.75, low: 10, close: 10.25, volume: 8 },
    ]);
    const iso = csv(
      'date,open,high,low,close\n2024-01-01T00:00:00Z,1,2,0.5,1.5\n2024-01-01 00:01:00+00:00,1.5,2,1,1.75\n',
    );
    expect((await run('import', ...key, '--file', iso, '--db', db())).code).toBe(0);
    expect(stored(db())!.map((c) => c.ts)).toEqual([T0, T0 + M]);
  });

  it('refuses a file with invalid rows, lists each with its line number, and stores nothing', async () => {
    const future = Date.now() + 3_600_000;
    const file = csv(
      [
        'ts,open,high,low,close,volume',
        `${T0},100,101,99,100.5,1`,
        `${T0 + M},100,99.5,99,100.5,1`,
        `${T0 + 2 * M},100,101,100.2,100.5,1`,
        `${T0 + 3 * M},100,101,0,100.5,1`,
        `${T0 + 4 * M},100,101,99,100.5,-2`,
        `${T0 + 5 * M + 30_000},100,101,99,100.5,1`,
        `${future - (future % M)},100,101,99,100.5,1`,
        `${T0 + 7 * M},abc,101,99,100.5,1`,
        `${T0},100,101,99,100.5,1`,
        `${T0 + 9 * M},100,101`,
      ].join('\n'),
    );
    const { code, err } = await run('import', ...key, '--file', file, '--db', db());
    expect(code).toBe(1);
    expect(err.split('\n')).toEqual([
      '  line 3: high 99.5 < max(open 100, close 100.5)',
      '  line 4: low 100.2 > min(open 100, close 100.5)',
      '  line 5: low 0 is not positive',
      '  line 6: volume -2 is negative',
      '  line 7: opens at 2024-01-01T00:05:30.000Z, off the 1m grid',
      expect.stringMatching(/^ {2}line 8: opens at .*, after now \(.*\)$/),
      "  line 9: open 'abc' is not a number",
      '  line 10: a second candle at 2024-01-01T00:00:00.000Z (the first is on line 2)',
      '  line 11: 3 columns, expected at least 6',
      `candlekeep import: 9 invalid rows in ${file}; nothing was imported: fix them and run again`,
      '',
    ]);
    expect(fs.existsSync(db())).toBe(false);
  });

  it('says which option to fix for a bad mapping, unit or file, and opens no database', async () => {
    const file = csv(`${T0},1,2,0.5,1.5,3\n`);
    key.push('--db', db());
    expect(await run('import', ...key, '--file', file, '--columns', 'ts=0,price=1')).toMatchObject({
      code: 2,
      err: "candlekeep import: --columns names 'price', which is not one of ts, open, high, low, close, volume\n",
    });
    expect(await run('import', ...key, '--file', file, '--columns', 'ts=0,open=1,high=2,low=3,close=9')).toMatchObject({
      code: 2,
      err: 'candlekeep import: --columns close=9: the file has only 6 columns (0..5)\n',
    });
    expect(await run('import', ...key, '--file', file, '--columns', 'ts=0,open=1')).toMatchObject({
      code: 2,
      err: 'candlekeep import: no column for high, low, close: map them with --columns, e.g. --columns ts=0,open=1,high=2,low=3,close=4,volume=5\n',
    });
    expect(await run('import', ...key, '--file', file, '--ts-unit', 'ns')).toMatchObject({
      code: 2,
      err: "candlekeep import: unknown --ts-unit 'ns': use ms, s or us\n",
    });
    expect(await run('import', ...key, '--file', path.join(dir.dir, 'nope.csv'))).toMatchObject({
      code: 2,
      err: `candlekeep import: --file ${path.join(dir.dir, 'nope.csv')} is not a file: give the path of a candle CSV\n`,
    });
  });
});
