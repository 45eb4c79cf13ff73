/**
 * Changes made by the CLI, in its own process, reach a running `candlekeep daemon` on the same
 * database file within 5 s: a series added is fetched and stored equal to the truth, a pause stops
 * its requests, a resume finishes it, a removal leaves nothing behind, new settings move its
 * requests to another host; a bad change is refused with one line and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../../test-support/temp-db.js';
import { truthCandles } from '../../test-support/truth.js';
import { expectSameCandles } from '../../test-support/same-candles.js';
import { startSimulator, type Simulator } from '../../simulator/simulator.js';
import { floorToTimeframe, MINUTE_MS } from '../../../shared/timeframe.js';
import type { Candle } from '../../../shared/domain.js';
import type { LoggedRequest } from '../../simulator/request-log.js';

const BIN = path.resolve('electron/cli/bin.js');
/** The promise under test; the waits below are generous so a slow machine does not fail them. */
const PICKED_UP_MS = 5_000;

let sim: Simulator;
let daemon: ChildProcess;
let daemonOut = '';
const dir = tempDir();
const db = path.join(dir.dir, 'shared.db');
/** The environment without a Binance URL: the daemon takes its hosts from the settings. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CANDLEKEEP_HOME: dir.dir,
    CANDLEKEEP_BINANCE_ARCHIVES: 'off',
    CANDLEKEEP_COINGECKO_URL: `${sim.url}/coingecko/api/v3`,
  };
  delete env.CANDLEKEEP_BINANCE_URL;
  delete env.CANDLEKEEP_COINGECKO_API_KEY;
  return env;
}
const hostA = (): string => `${sim.urls[0]}/binance`;
const hostB = (): string => `${sim.urls[1]}/binance`;

/** Run one CLI command in its own process; the CLI checks symbols against host A. */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [BIN, ...args, '--db', db], {
    env: { ...baseEnv(), CANDLEKEEP_BINANCE_URL: hostA(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out, err })));
}

async function ok(args: string[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  const result = await cli(args, env);
  expect(result.err).toBe('');
  expect(result.code).toBe(0);
}

/** Run one CLI command that must succeed; resolves with the moment its process was done, from which the daemon's pickup counts. */
async function change(args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  await ok(args, env);
  return Date.now();
}

/** The flags that name one series on the command line. */
const binance1m = (symbol: string): string[] => ['--source', 'binance', '--symbol', symbol, '--timeframe', '1m'];
const coingecko4h = (coin: string): string[] => [
  '--source',
  'coingecko',
  '--symbol',
  coin,
  '--vs',
  'usd',
  '--timeframe',
  '4h',
];
const addSeries = (series: string[], from: number): Promise<number> =>
  change(['series', 'add', ...series, '--from', String(from)]);

// Shorter than the test's own timeout, so a wait that fails says what the daemon logged meanwhile.
async function until<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; daemon said: ${daemonOut}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function query<T>(sql: string, ...params: unknown[]): T[] {
  const reader = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return reader.prepare(sql).all(...params) as T[];
  } finally {
    reader.close();
  }
}

const seriesId = (symbol: string): number | undefined =>
  query<{ id: number }>('SELECT id FROM series WHERE symbol = ?', symbol)[0]?.id;
const keysFile = (): string | null =>
  fs.existsSync(path.join(dir.dir, 'keys.plaintext.json'))
    ? fs.readFileSync(path.join(dir.dir, 'keys.plaintext.json'), 'utf8')
    : null;
const stored = (id: number, before = Number.MAX_SAFE_INTEGER): Candle[] =>
  query<Candle>(
    'SELECT ts, open, high, low, close, volume FROM candles WHERE series_id = ? AND ts < ? ORDER BY ts',
    id,
    before,
  );
const klines = (symbol: string, after: number): LoggedRequest[] =>
  sim.log.since().filter((e) => e.path.endsWith('/klines') && e.query.symbol === symbol && e.wallAt >= after);
/** What a refused command must leave as it was. */
const configuration = (): Record<string, unknown> => ({
  changes: query('SELECT * FROM config_changes'),
  settings: query('SELECT * FROM settings'),
  series: query('SELECT * FROM series'),
  keys: keysFile(),
});

/**
 * Adds a Binance 1m series with 90 days of history and waits until that history is being stored, so
 * the change a test makes next lands while the series is being fetched.
 */
async function addMidBackfill(symbol: string): Promise<{ id: number; from: number }> {
  const from = floorToTimeframe('1m', Date.now()) - 90 * 1440 * MINUTE_MS;
  await addSeries(binance1m(symbol), from);
  const id = await until(`${symbol} in the database`, () => seriesId(symbol));
  await until(`${symbol} history under way`, () => stored(id).length > 2_000);
  return { id, from };
}

/** Waits for the request `find` picks out, which must leave within PICKED_UP_MS of the change. */
async function expectPickedUp(what: string, changedAt: number, find: () => LoggedRequest | undefined): Promise<void> {
  const request = await until(what, find);
  expect(request.wallAt - changedAt).toBeLessThan(PICKED_UP_MS);
}

/** Waits out the pickup (and a margin), then expects no request for `symbol` sent after it. */
async function expectNoRequestsAfterPickup(symbol: string, changedAt: number): Promise<void> {
  await new Promise((r) => setTimeout(r, PICKED_UP_MS + 2_000));
  expect(klines(symbol, changedAt + PICKED_UP_MS)).toEqual([]);
}

beforeAll(async () => {
  // Each answer takes 250 ms, so months of 1m history take several seconds: long enough to
  // change the series while it is being fetched.
  sim = await startSimulator({ seed: 21, hosts: 2, latencyMs: 250 });
  // The daemon learns its Binance hosts from the settings alone (no CANDLEKEEP_BINANCE_URL).
  await ok(['settings', 'set', 'sources.binanceHosts', JSON.stringify([hostA()])]);
  daemon = spawn(process.execPath, [BIN, 'daemon', '--db', db], { env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  daemon.stdout!.on('data', (d: Buffer) => (daemonOut += d.toString()));
  daemon.stderr!.on('data', (d: Buffer) => (daemonOut += d.toString()));
  await until('the daemon to start', () => daemonOut.includes('daemon running: 0 series'));
});

afterAll(async () => {
  if (daemon && daemon.exitCode === null) {
    const exit = new Promise((r) => daemon.once('exit', r));
    daemon.kill('SIGTERM');
    await exit;
  }
  await sim?.close();
  dir.cleanup();
});

describe('a running daemon applies changes made by the CLI in another process', () => {
  it('fetches a series added by the CLI within 5 s and stores it equal to the truth', async () => {
    const from = floorToTimeframe('1m', Date.now()) - 90 * MINUTE_MS;
    // Ninety minutes are one request, which may leave before the CLI's process has even exited:
    // look for it from before the command, and measure the pickup from the command's exit.
    const asked = Date.now();
    const added = await addSeries(binance1m('ETHUSDT'), from);
    await expectPickedUp('a request for ETHUSDT', added, () => klines('ETHUSDT', asked)[0]);
    const cut = floorToTimeframe('1m', added);
    const expected = truthCandles(sim, 'ETHUSDT', from, cut);
    const id = seriesId('ETHUSDT')!;
    // The last of them may close after the first request left (the command ran across a minute):
    // the daemon's tail asks for it a few seconds after that close, not at its next sweep.
    await until('ETHUSDT stored up to the time it was added', () => stored(id, cut).length >= expected.length);
    expectSameCandles(stored(id, cut), expected);
  });

  it('stops fetching a paused series within 5 s, and finishes it to the truth once resumed', async () => {
    const { id, from } = await addMidBackfill('SOLUSDT');
    const paused = await change(['series', 'pause', ...binance1m('SOLUSDT')]);
    await expectNoRequestsAfterPickup('SOLUSDT', paused);
    const cut = floorToTimeframe('1m', paused);
    const expected = truthCandles(sim, 'SOLUSDT', from, cut);
    expect(stored(id, cut).length).toBeLessThan(expected.length);

    const resumed = await change(['series', 'resume', ...binance1m('SOLUSDT')]);
    await expectPickedUp('a request for SOLUSDT after the resume', resumed, () => klines('SOLUSDT', resumed)[0]);
    await until('SOLUSDT complete', () => stored(id, cut).length >= expected.length, 120_000);
    expectSameCandles(stored(id, cut), expected);
  }, 180_000);

  it('drops a series removed by the CLI within 5 s and writes nothing more for it', async () => {
    const { id } = await addMidBackfill('ADAUSDT');
    const removed = await change(['series', 'remove', ...binance1m('ADAUSDT')]);
    await expectNoRequestsAfterPickup('ADAUSDT', removed);
    expect(query('SELECT ts FROM candles WHERE series_id = ?', id)).toEqual([]);
    expect(query('SELECT id FROM holes WHERE series_id = ?', id)).toEqual([]);
    expect(daemon.exitCode).toBe(null);
  }, 120_000);

  it('moves its requests to the host new settings name within 5 s', async () => {
    await addMidBackfill('XRPUSDT');
    const portB = new URL(sim.urls[1]!).port;
    expect(klines('XRPUSDT', 0).filter((e) => e.host === portB)).toEqual([]);
    const changed = await change(['settings', 'set', 'sources.binanceHosts', JSON.stringify([hostB()])]);
    await expectPickedUp('a request to the new host', changed, () =>
      klines('XRPUSDT', changed).find((e) => e.host === portB),
    );
    await new Promise((r) => setTimeout(r, 1_000));
    expect(klines('XRPUSDT', changed + PICKED_UP_MS).filter((e) => e.host !== portB)).toEqual([]);
  }, 120_000);

  it('sends the API key the CLI sets from then on (its sources are built anew)', async () => {
    const from = floorToTimeframe('4h', Date.now()) - 10 * 1440 * MINUTE_MS;
    const ohlc = (coin: string): boolean => sim.log.since().some((e) => e.path.includes(`/coins/${coin}/ohlc`));
    await addSeries(coingecko4h('bitcoin'), from);
    await until('the daemon to fetch bitcoin', () => ohlc('bitcoin'));
    expect(sim.coingecko.plans).not.toContain('demo');
    await ok(['keys', 'set', 'coingecko.apiKey', '--from-env', 'CG_KEY'], { CG_KEY: 'CG-dynamicconfig1' });
    await new Promise((r) => setTimeout(r, PICKED_UP_MS));
    const mark = sim.coingecko.plans.length;
    await addSeries(coingecko4h('ethereum'), from);
    await until('the daemon to fetch ethereum', () => ohlc('ethereum'));
    expect(sim.coingecko.plans.slice(mark)).toContain('demo');
    const listed = await cli(['keys', 'list']);
    expect(listed.out).toContain('coingecko.apiKey');
    expect(listed.out).not.toContain('CG-dynamicconfig1');
  });

  it.each([
    [
      'a key named with a space',
      ['keys', 'set', 'coingecko api', '--from-env', 'HOME'],
      /invalid key name 'coingecko api'/,
    ],
    ['a key value on the command line', ['keys', 'set', 'coingecko.apiKey', 'CG-secret'], /candlekeep keys list/],
    [
      'a cron expression that is not one',
      ['settings', 'set', 'sweepCron', 'every hour'],
      /sweepCron 'every hour' is not a cron expression/,
    ],
    [
      'a setting out of range',
      ['settings', 'set', 'sources.requestTimeoutMs', '5'],
      /invalid settings: sources\.requestTimeoutMs: /,
    ],
    ['a setting that does not exist', ['settings', 'set', 'sources.speed', '3'], /invalid settings: sources: /],
    [
      'a timeframe the source lacks',
      ['series', 'add', '--source', 'binance', '--symbol', 'LTCUSDT', '--timeframe', '7m', '--from', '2026-01-01'],
      /7m/,
    ],
  ])('refuses %s with one line, and nothing changes', async (_name, args, message) => {
    const before = configuration();
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.err).toMatch(message);
    expect(configuration()).toEqual(before);
    expect(daemon.exitCode).toBe(null);
  });
});
