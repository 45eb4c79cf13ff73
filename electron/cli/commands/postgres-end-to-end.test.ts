/**
 * Candlekeep on PostgreSQL, end to end against the simulator: `backfill --db postgres://…` stores
 * exactly the truth, `gaps` and `verify` read it, `export` writes the same bytes as from SQLite and
 * `import` takes them back, `quality`, `history` and `audit` answer; a
 * `daemon` in its own process keeps a series on the server, and a `serve` in another answers the
 * local Binance API from it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { main } from '../main.js';
import { startSimulator, type Simulator } from '../../simulator/simulator.js';
import { captureIo } from '../../test-support/cli-io.js';
import { tempDir } from '../../test-support/temp-db.js';
import { Store } from '../../store/store.js';
import { truthCandles } from '../../test-support/truth.js';
import { expectSameCandles } from '../../test-support/same-candles.js';
import { BackendDatabases, postgresSkipReason } from '../../test-support/backends.js';
import { floorToTimeframe, MINUTE_MS } from '../../../shared/timeframe.js';
import type { Candle } from '../../../shared/domain.js';

const BIN = path.resolve('electron/cli/bin.js');
const unavailable = postgresSkipReason();

describe.skipIf(unavailable !== null)('Candlekeep on PostgreSQL', () => {
  let sim: Simulator;
  const pg = new BackendDatabases('postgres');
  const dir = tempDir();
  const children: ChildProcess[] = [];
  const FROM = Date.UTC(2024, 0, 1);
  const TO = Date.UTC(2024, 0, 3);
  const range = [
    '--source',
    'binance',
    '--symbol',
    'BTCUSDT',
    '--timeframe',
    '1m',
    '--from',
    '2024-01-01',
    '--to',
    '2024-01-03',
  ];
  const env = (): NodeJS.ProcessEnv => ({
    CANDLEKEEP_HOME: dir.dir,
    CANDLEKEEP_BINANCE_URL: `${sim.url}/binance`,
    CANDLEKEEP_BINANCE_DATA_URL: `${sim.url}/binance-data`,
  });

  beforeAll(async () => {
    sim = await startSimulator({ seed: 11 });
    await pg.start();
  });
  afterAll(async () => {
    for (const child of children) {
      if (child.exitCode !== null) continue;
      const exit = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exit;
    }
    await pg.stop();
    await sim?.close();
    dir.cleanup();
  });

  async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const c = captureIo(env());
    const code = await main(argv, c.io);
    return { code, out: c.out(), err: c.err() };
  }

  it('backfills exactly the truth; gaps, verify, export (the bytes SQLite gives), import, quality, history and audit work on it', async () => {
    const url = pg.target();
    const sqlite = path.join(dir.dir, 'same.db');
    const backfill = await run('backfill', ...range, '--db', url);
    expect(backfill.err).toBe('');
    expect(backfill.code).toBe(0);
    expect(backfill.out).toMatch(/^stored 2880 candles of binance BTCUSDT 1m/);
    const store = Store.open(url, { readonly: true });
    const series = store.series.find({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' })!;
    expectSameCandles(store.candles.range(series.id, FROM, TO), truthCandles(sim, 'BTCUSDT', FROM, TO));
    store.close();

    expect((await run('gaps', '--db', url)).code).toBe(0);
    const verify = await run('verify', '--db', url);
    expect(verify.err).toBe('');
    expect(verify.code).toBe(0);

    expect((await run('backfill', ...range, '--db', sqlite)).code).toBe(0);
    const fromPg = await run('export', ...range, '--db', url);
    const fromSqlite = await run('export', ...range, '--db', sqlite);
    expect(fromPg.code).toBe(0);
    expect(fromPg.out.split('\n')).toHaveLength(2882); // header, 2880 candles, the final newline
    expect(fromPg.out).toBe(fromSqlite.out);

    // The other readers and writers of the store, on the same database.
    const csv = path.join(dir.dir, 'btc.csv');
    expect((await run('export', ...range, '--out', csv, '--db', url)).code).toBe(0);
    const copy = ['--source', 'binance', '--symbol', 'ETHUSDT', '--timeframe', '1m'];
    const imported = await run('import', ...copy, '--file', csv, '--db', url);
    expect(imported.err).toBe('');
    expect(imported.code).toBe(0);
    const back = await run('export', ...copy, '--from', '2024-01-01', '--to', '2024-01-03', '--db', url);
    expect(back.out).toBe(fromPg.out);
    for (const command of ['quality', 'history', 'audit']) {
      const r = await run(command, '--db', url);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
    }
  });

  /** Start a CLI command in its own process; resolves with the line that says it is running. */
  function start(args: string[], ready: RegExp): Promise<string> {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env(), CANDLEKEEP_BINANCE_ARCHIVES: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let said = '';
    return new Promise((resolve, reject) => {
      const look = (d: Buffer): void => {
        said += d.toString();
        const match = ready.exec(said);
        if (match) resolve(match[0]);
      };
      child.stdout!.on('data', look);
      child.stderr!.on('data', look);
      child.once('exit', (code) => reject(new Error(`${args[0]} exited ${String(code)}: ${said}`)));
    });
  }

  async function until<T>(what: string, probe: () => Promise<T | null>): Promise<T> {
    const deadline = Date.now() + 45_000;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('a daemon keeps a series on the server, and serve answers the local Binance API from it', async () => {
    const url = pg.target();
    const from = floorToTimeframe('1m', Date.now()) - 90 * MINUTE_MS;
    const add = await run(
      'series',
      'add',
      '--source',
      'binance',
      '--symbol',
      'ETHUSDT',
      '--timeframe',
      '1m',
      '--from',
      String(from),
      '--db',
      url,
    );
    expect(add.err).toBe('');
    await start(['daemon', '--db', url], /daemon running: 1 series/);
    const serving = await start(['serve', '--no-engine', '--port', '0', '--db', url], /serving (http:\/\/\S+)/);
    const base = /http:\/\/\S+/.exec(serving)![0];
    const cut = floorToTimeframe('1m', Date.now());
    const expected = truthCandles(sim, 'ETHUSDT', from, cut);
    const answered = await until('the daemon to store the series up to now', async () => {
      const res = await fetch(
        `${base}/api/v3/klines?symbol=ETHUSDT&interval=1m&startTime=${from}&endTime=${cut - 1}&limit=1000`,
      );
      const rows = (await res.json()) as Array<[number, string, string, string, string, string]>;
      return rows.length >= expected.length ? rows : null;
    });
    const candles: Candle[] = answered.map(([ts, open, high, low, close, volume]) => ({
      ts,
      open: Number(open),
      high: Number(high),
      low: Number(low),
      close: Number(close),
      volume: Number(volume),
    }));
    expectSameCandles(candles, expected);
    const info = await fetch(`${base}/api/data:info`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: 'null',
    });
    const { result } = (await info.json()) as { result: { databaseFile: string; sizeBytes: number } };
    expect(result.databaseFile).toBe(url);
    expect(result.sizeBytes).toBeGreaterThan(0);
  });
});
