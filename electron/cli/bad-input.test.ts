/**
 * Bad input on the command line: one clear line on stderr, exit 1 or 2, and an existing database
 * left exactly as it was (every table but the audit log, where a failed attempt is recorded); a file
 * that is not a database left byte for byte.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { runCli, type CliRun } from '../test-support/cli-io.js';
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import { tempDir } from '../test-support/temp-db.js';
import { contentDigest } from '../test-support/db-digest.js';

let sim: Simulator;
const dir = tempDir();
const db = path.join(dir.dir, 'existing.db');
const digest = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

const run = (args: string[]): Promise<CliRun> =>
  runCli(args, { CANDLEKEEP_BINANCE_URL: `${sim.url}/binance`, CANDLEKEEP_HOME: dir.dir });

/** `backfill` of BTCUSDT 1h into the existing database over February's first day, with `overrides`. */
const backfill = (overrides: Record<string, string>): string[] => {
  const args = {
    '--source': 'binance',
    '--symbol': 'BTCUSDT',
    '--timeframe': '1h',
    '--from': '2024-02-01T00:00:00Z',
    '--to': '2024-02-02T00:00:00Z',
    '--db': db,
    ...overrides,
  };
  return ['backfill', ...Object.entries(args).flat()];
};

beforeAll(async () => {
  sim = await startSimulator({ seed: 4 });
  const ok = await run(backfill({ '--from': '2024-01-01', '--to': '2024-01-03' }));
  expect(ok.code, ok.err).toBe(0);
});

afterAll(async () => {
  await sim.close();
  dir.cleanup();
});

describe('bad input', () => {
  it.each([
    ['an unknown symbol', backfill({ '--symbol': 'NOSUCHUSDT' }), 1, /Invalid symbol/],
    ['a symbol with illegal characters', backfill({ '--symbol': 'BTC USDT!' }), 2, /invalid Binance symbol/],
    ['a bad timeframe', backfill({ '--timeframe': '7m' }), 2, /unknown timeframe '7m'/],
    [
      '--from after --to',
      backfill({ '--from': '2024-03-01', '--to': '2024-02-01' }),
      2,
      /--from .* must be before --to/,
    ],
    ['a time that is not a time', backfill({ '--from': 'yesterday' }), 2, /--from 'yesterday' is not a time/],
    ['an unknown source', backfill({ '--source': 'nasdaq' }), 1, /unknown source 'nasdaq'/],
    ['an unknown option', [...backfill({}), '--frm', 'x'], 2, /Unknown option '--frm'/],
    [
      'a collector on a database file',
      ['daemon', '--db', db, '--collector', 'eu-1'],
      2,
      /--collector needs the PostgreSQL database the collectors share: add --db postgres:\/\/USER@HOST\/DATABASE/,
    ],
    [
      'an egress group without a collector',
      ['daemon', '--db', db, '--egress', 'office'],
      2,
      /--egress needs --collector NAME: it only applies to a collector in a fleet/,
    ],
    [
      'a collector name with a space',
      ['daemon', '--db', 'postgres://ck@127.0.0.1:1/ck', '--collector', 'eu 1'],
      2,
      /--collector 'eu 1' is not a name: use up to 64 letters, digits/,
    ],
    [
      'a lease timeout too short',
      ['daemon', '--db', 'postgres://ck@127.0.0.1:1/ck', '--collector', 'eu-1', '--lease-timeout', '1'],
      2,
      /--lease-timeout '1' must be seconds from 3 to 3600/,
    ],
    ['the fleet of a database file', ['fleet', '--db', db], 2, /a fleet lives in PostgreSQL: pass the database/],
  ])('%s: one line, a non-zero exit, the database untouched', async (_name, args, code, message) => {
    const before = contentDigest(db);
    const result = await run(args);
    expect(result.code).toBe(code);
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.err).toMatch(message);
    expect(result.err).not.toMatch(/\s+at\s+\S+\s+\(/); // no stack trace
    expect(contentDigest(db)).toBe(before);
  });

  it('refuses a file that is not a database, and leaves it alone', async () => {
    const notDb = path.join(dir.dir, 'notes.txt');
    fs.writeFileSync(notDb, 'my precious notes\n');
    const result = await run(backfill({ '--db': notDb }));
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/is not a Candlekeep database/);
    expect(fs.readFileSync(notDb, 'utf8')).toBe('my precious notes\n');
  });

  it('refuses a corrupt database file with a clear line', async () => {
    const corrupt = path.join(dir.dir, 'corrupt.db');
    const bytes = fs.readFileSync(db);
    bytes.fill(0xab, 100, bytes.length); // keep the SQLite header, destroy the rest
    fs.writeFileSync(corrupt, bytes);
    const before = digest(corrupt);
    const result = await run(['series', 'list', '--db', corrupt]);
    expect(result.code).toBe(1);
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.err).toMatch(/corrupt|not a Candlekeep database/);
    expect(digest(corrupt)).toBe(before);
  });
});
