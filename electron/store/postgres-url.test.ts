/**
 * `--db postgres://…` (or CANDLEKEEP_DATABASE_URL) against a live PostgreSQL: every command keeps its
 * data in the server and nothing on disk; a URL that cannot be used is refused in one line that
 * names the problem and the fix, never the password.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { main } from '../cli/main.js';
import { captureIo } from '../test-support/cli-io.js';
import { tempDir } from '../test-support/temp-db.js';
import { startPostgres, type TestPostgres } from '../test-support/postgres.js';
import { postgresSkipReason } from '../test-support/backends.js';

const unavailable = postgresSkipReason();

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

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

  const cli = async (args: string[], env: Record<string, string> = {}) => {
    const { io, out, err } = captureIo({ CANDLEKEEP_HOME: home.dir, ...env });
    const code = await main(args, io);
    return { code, out: out(), err: err() };
  };

  it('keeps a series in the server: added, listed, gapped, with tokens and settings, and nothing written on disk', async () => {
    const cwd = process.cwd();
    const before = fs.readdirSync(cwd);
    const add = await cli([
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
      '--db',
      pg.url,
    ]);
    expect(add.err).toBe('');
    expect(add.code).toBe(0);
    expect(await pg.sql('SELECT source, symbol, timeframe FROM series')).toBe('binance|BTCUSDT|1m');
    expect(await pg.sql('SELECT version FROM schema_version')).toBe('7');
    const list = await cli(['series', 'list', '--db', pg.url]);
    expect(list.code).toBe(0);
    expect(list.out).toContain('BTCUSDT');
    expect((await cli(['gaps', '--db', pg.url])).code).toBe(0);
    const token = await cli(['tokens', 'add', 'ci', '--role', 'read', '--db', pg.url]);
    expect(token.code).toBe(0);
    expect(await pg.sql('SELECT name, role FROM tokens')).toBe('ci|read');
    expect((await cli(['settings', 'get', '--db', pg.url])).code).toBe(0);
    expect(fs.readdirSync(cwd)).toEqual(before);
    expect(fs.existsSync(path.join(cwd, 'postgres:'))).toBe(false);
    expect(fs.existsSync(path.join(home.dir, 'candlekeep.db'))).toBe(false);
  });

  it('runs the demo on the server, its keys in a temporary folder rather than a folder named after the URL', async () => {
    const cwd = process.cwd();
    const before = fs.readdirSync(cwd);
    const { io, out } = captureIo({ CANDLEKEEP_HOME: home.dir });
    const stop = new AbortController();
    const demo = main(['demo', '--db', pg.url, '--port', '0'], { ...io, stopSignal: stop.signal });
    try {
      await expect.poll(out, { timeout: 30_000 }).toContain('Candlekeep demo: open');
      expect(await pg.sql('SELECT count(*) FROM series')).not.toBe('0');
      const url = /open (http:\/\/\S+)/.exec(out())![1]!;
      const set = await fetch(`${url}/api/keys:set`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'coingecko.apiKey', value: 'CG-demo-key-0123456789' }),
      });
      expect(set.status).toBe(200);
      expect(fs.readdirSync(cwd)).toEqual(before);
    } finally {
      stop.abort();
      expect(await demo).toBe(0);
    }
    expect(fs.readdirSync(cwd)).toEqual(before);
  });

  it('takes the server from CANDLEKEEP_DATABASE_URL when --db is not given', async () => {
    const list = await cli(['series', 'list'], { CANDLEKEEP_DATABASE_URL: pg.url });
    expect(list.code).toBe(0);
    expect(list.out).toContain('BTCUSDT');
    expect(fs.existsSync(path.join(home.dir, 'candlekeep.db'))).toBe(false);
  });

  it('refuses a server that is not listening in one line naming the host and port', async () => {
    const port = await closedPort();
    const r = await cli(['series', 'list', '--db', `postgres://ck:hunter2secret@127.0.0.1:${port}/candles`]);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(`cannot reach PostgreSQL at 127.0.0.1:${port}: connection refused`);
    expect(r.err).not.toContain('hunter2secret');
  });

  it('refuses credentials the server does not accept, without printing the password', async () => {
    const url = pg.url.replace('postgres://postgres@', 'postgres://nobody:hunter2secret@');
    const r = await cli(['series', 'list', '--db', url]);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/refused the credentials of user nobody; fix the user or password in --db/);
    expect(r.err).not.toContain('hunter2secret');
  });

  it('names a missing database and how to create it', async () => {
    const r = await cli(['series', 'list', '--db', pg.url.replace(/\/postgres$/, '/nosuchdb')]);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/has no database nosuchdb; create it \(createdb nosuchdb\) or fix --db/);
  });

  it('refuses a URL without a database name, saying how to write one', async () => {
    const r = await cli(['series', 'list', '--db', 'postgres://ck:hunter2secret@db.example']);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/names no database; write it as postgres:\/\/USER:PASSWORD@HOST:PORT\/DATABASE/);
    expect(r.err).not.toContain('hunter2secret');
  });
});
