/**
 * `candlekeep migrate --from FILE.db --to postgres://…` against a real PostgreSQL: a copy that stops
 * halfway is finished by running the command again, and then every table, every series' candles
 * value by value, the ledger, tokens and the change log are in PostgreSQL as they are in SQLite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { main } from '../main.js';
import { startSimulator, type Simulator } from '../../simulator/simulator.js';
import { captureIo } from '../../test-support/cli-io.js';
import { tempDir } from '../../test-support/temp-db.js';
import { Store } from '../../store/store.js';
import type { PgDb } from '../../store/postgres/pg-db.js';
import { copyToPostgres } from '../../store/postgres/pg-copy.js';
import { expectSameCandles } from '../../test-support/same-candles.js';
import { BackendDatabases, postgresSkipReason } from '../../test-support/backends.js';

const unavailable = postgresSkipReason();

describe.skipIf(unavailable !== null)('candlekeep migrate', () => {
  let sim: Simulator;
  const pg = new BackendDatabases('postgres');
  const dir = tempDir();
  const file = path.join(dir.dir, 'source.db');

  async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const c = captureIo({
      CANDLEKEEP_HOME: dir.dir,
      CANDLEKEEP_BINANCE_URL: `${sim.url}/binance`,
      CANDLEKEEP_BINANCE_ARCHIVES: 'off',
    });
    const code = await main(argv, c.io);
    return { code, out: c.out(), err: c.err() };
  }

  beforeAll(async () => {
    sim = await startSimulator({ seed: 3 });
    await pg.start();
    for (const [symbol, timeframe, from] of [
      ['BTCUSDT', '1m', '2024-01-01'],
      ['ETHUSDT', '1h', '2023-06-01'],
    ] as const) {
      const r = await run(
        'backfill',
        '--source',
        'binance',
        '--symbol',
        symbol,
        '--timeframe',
        timeframe,
        '--from',
        from,
        '--to',
        '2024-01-03',
        '--db',
        file,
      );
      expect(r.code).toBe(0);
    }
    expect((await run('tokens', 'add', 'ci', '--role', 'admin', '--db', file)).code).toBe(0);
    expect((await run('settings', 'set', 'sweepCron', '"9 * * * *"', '--db', file)).code).toBe(0);
  });
  afterAll(async () => {
    await pg.stop();
    await sim?.close();
    dir.cleanup();
  });

  it('finishes an interrupted copy when run again, and then holds everything the file holds', async () => {
    const url = pg.target();
    const source = Store.open(file);
    const target = Store.open(url);
    let candleChunks = 0;
    expect(() =>
      copyToPostgres(source, target.db as PgDb, {
        chunkRows: 1000,
        onChunk: (table) => {
          if (table === 'candles' && ++candleChunks === 2) throw new Error('interrupted');
        },
      }),
    ).toThrow('interrupted');
    const partial = target.db.prepare('SELECT COUNT(*) AS n FROM candles').get() as { n: number };
    expect(partial.n).toBe(2000);
    target.close();

    const resumed = await run('migrate', '--from', file, '--to', url);
    expect(resumed.err).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.out).toMatch(/^copied \d+ rows from .* counts verified: 2 series, 7943 candles/);

    const copy = Store.open(url);
    expect(copy.series.list()).toEqual(source.series.list());
    for (const s of source.series.list()) {
      expectSameCandles(
        copy.candles.range(s.id, 0, Number.MAX_SAFE_INTEGER),
        source.candles.range(s.id, 0, Number.MAX_SAFE_INTEGER),
      );
      expect(copy.holes.list(s.id)).toEqual(source.holes.list(s.id));
    }
    expect(copy.tokens.list()).toEqual(source.tokens.list());
    expect(copy.settings.get()).toEqual(source.settings.get());
    expect(copy.audit.list()).toEqual(source.audit.list());
    expect(copy.configChanges.latest()).toBe(source.configChanges.latest());
    // New rows continue the ids: a new series does not collide with a copied one.
    const added = copy.series.ensure({ source: 'binance', symbol: 'SOLUSDT', timeframe: '1m' }, 0, 0);
    expect(added.id).toBeGreaterThan(Math.max(...source.series.list().map((s) => s.id)));
    expect(copy.configChanges.latest()).toBe(source.configChanges.latest() + 1);
    copy.close();
    source.close();

    const again = await run('migrate', '--from', file, '--to', url);
    expect(again.code).toBe(1); // the target now holds a series the file does not
    expect(again.err).toMatch(/already holds other series \(binance SOLUSDT 1m\); migrate into an empty database/);
  });

  it('a second run over a finished copy copies nothing and verifies again', async () => {
    const url = pg.target();
    expect((await run('migrate', '--from', file, '--to', url)).code).toBe(0);
    const again = await run('migrate', '--from', file, '--to', url);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/^copied 0 rows from .* counts verified/);
  });

  it.each([
    [['--to', 'postgres://u@h/d'], /give the SQLite file to copy: --from FILE\.db/],
    [['--from', 'x.db', '--to', 'other.db'], /--to takes a postgres:\/\/ URL, not 'other\.db'/],
    [['--from', 'missing.db', '--to', 'postgres://u@h/d'], /no database at missing\.db/],
  ])('refuses %j in one line, exit 2', async (args, message) => {
    const r = await run('migrate', ...args);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(message);
  });
});
