/**
 * A `postgres://` URL given to --db, with a real PostgreSQL listening there: until the PostgreSQL
 * store exists, every command refuses it in one line, and neither the server nor the disk gets
 * anything (before, the URL was taken for a file path and made a folder named `postgres:`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { main } from '../cli/main.js';
import { captureIo } from '../test-support/cli-io.js';
import { tempDir } from '../test-support/temp-db.js';
import { postgresUnavailable, startPostgres, type TestPostgres } from '../test-support/postgres.js';

const unavailable = postgresUnavailable();
if (unavailable) process.stdout.write(`skipping the PostgreSQL tests: ${unavailable}\n`);

describe.skipIf(unavailable !== null)('--db postgres://… with a live PostgreSQL', () => {
  let pg: TestPostgres;
  const home = tempDir();
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(async () => {
    await pg?.stop();
    home.cleanup();
  });

  it('the throwaway server answers on the URL it gave', async () => {
    expect(await pg.sql('SELECT 1 + 1')).toBe('2');
  });

  it.each([
    ['series', 'list'],
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
      '2026-01-01',
      '--no-check',
    ],
    ['gaps'],
    ['tokens', 'list'],
    ['settings', 'get'],
  ])('candlekeep %s %s … refuses it in one line, writing nothing anywhere', async (...args) => {
    const cwd = process.cwd();
    const before = fs.readdirSync(cwd);
    const { io, out, err } = captureIo({ CANDLEKEEP_HOME: home.dir });
    expect(await main([...args, '--db', pg.url], io)).toBe(1);
    expect(out()).toBe('');
    expect(err().trim().split('\n')).toHaveLength(1);
    expect(err()).toMatch(/PostgreSQL store not available yet: --db takes an SQLite file path for now/);
    expect(fs.readdirSync(cwd)).toEqual(before);
    expect(fs.existsSync(path.join(cwd, 'postgres:'))).toBe(false);
    expect(await pg.sql("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")).toBe('0');
  });
});
