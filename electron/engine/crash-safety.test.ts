/**
 * kill -9 of the daemon at 20 random moments during a large backfill: after each restart the
 * database is intact, nothing committed is lost or duplicated, and the backfill completes to the truth.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../test-support/temp-db.js';
import { VenueTruth } from '../simulator/truth.js';
import { assetByBinanceSymbol } from '../simulator/instruments.js';
import { fixed } from '../simulator/http-util.js';
import { DAY_MS, floorToTimeframe } from '../../shared/timeframe.js';

const BIN = path.resolve('electron/cli/bin.js');
const SEED = 9;

function start(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const match = ready.exec(out);
      if (match) resolve({ child, match });
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => reject(new Error(`candlekeep ${args[0]} exited (${code}): ${err}`)));
  });
}

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once('exit', (code) => resolve(code)));

function readDb(file: string): { integrity: string; count: number; distinct: number } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check', { simple: true }) as string) ?? '';
    const { count, distinct } = db
      .prepare('SELECT COUNT(*) AS count, COUNT(DISTINCT ts) AS "distinct" FROM candles')
      .get() as { count: number; distinct: number };
    return { integrity, count, distinct };
  } finally {
    db.close();
  }
}

describe('crash safety', () => {
  let sim: ChildProcess;
  let simUrl = '';
  const dir = tempDir();
  const db = path.join(dir.dir, 'crash.db');

  beforeAll(async () => {
    const started = await start(['sim', '--port', '0', '--seed', String(SEED)], {}, /listening (http:\S+)/);
    sim = started.child;
    simUrl = started.match[1]!;
  });
  afterAll(async () => {
    sim.kill('SIGTERM');
    await exited(sim);
    dir.cleanup();
  });

  it('survives kill -9 at 20 random moments and completes to the truth', async () => {
    const env = { CANDLEKEEP_BINANCE_URL: `${simUrl}/binance` };
    const keepFrom = floorToTimeframe('1d', Date.now()) - 2 * 365 * DAY_MS;
    const add = await start(
      [
        'series',
        'add',
        '--source',
        'binance',
        '--symbol',
        'BTCUSDT',
        '--timeframe',
        '1m',
        '--from',
        String(keepFrom),
        '--db',
        db,
      ],
      env,
      /added/,
    );
    await exited(add.child);

    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    // Two years of 1m candles: the history, which the kills must interrupt.
    const history = 2 * 365 * 1440;
    let before = 0;
    let duringBackfill = 0;
    for (let kill = 0; kill < 20; kill++) {
      const { child } = await start(['daemon', '--db', db], env, /daemon running/);
      await new Promise((r) => setTimeout(r, 100 + random() * 500));
      child.kill('SIGKILL');
      await exited(child);
      const after = readDb(db);
      expect(after.integrity).toBe('ok');
      expect(after.distinct).toBe(after.count);
      expect(after.count).toBeGreaterThanOrEqual(before);
      if (after.count < history - 2_000) duringBackfill++;
      before = after.count;
    }
    expect(duringBackfill).toBeGreaterThanOrEqual(15);

    const truth = new VenueTruth(SEED, 'binance', assetByBinanceSymbol('BTCUSDT')!);
    const finalEdge = Date.now() - 120_000;
    const expected = truth
      .range('1m', keepFrom, finalEdge, Number.MAX_SAFE_INTEGER, Date.now())
      .filter((c) => c.closed);
    const { child } = await start(['daemon', '--db', db], env, /daemon running/);
    for (let i = 0; i < 900 && readDb(db).count < expected.length; i++) await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGTERM');
    const stopStarted = Date.now();
    expect(await exited(child)).toBe(0);
    expect(Date.now() - stopStarted).toBeLessThan(5_000);

    const reader = new Database(db, { readonly: true });
    const rows = reader
      .prepare('SELECT ts, open, high, low, close, volume FROM candles WHERE ts < ? ORDER BY ts')
      .raw()
      .all(finalEdge) as number[][];
    reader.close();
    expect(rows.length).toBe(expected.length);
    const d = truth.priceDecimals;
    const mismatch = expected.findIndex((c, i) => {
      const r = rows[i]!;
      return (
        r[0] !== c.openTime ||
        r[1] !== Number(fixed(c.open, d)) ||
        r[2] !== Number(fixed(c.high, d)) ||
        r[3] !== Number(fixed(c.low, d)) ||
        r[4] !== Number(fixed(c.close, d)) ||
        r[5] !== Number(fixed(c.volume, 8))
      );
    });
    expect(mismatch).toBe(-1);
  }, 240_000);
});
