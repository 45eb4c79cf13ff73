/** `candlekeep backfill` for Binance: archives first, `--plan` to see how, `--rest-only` to skip them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { main } from '../main.js';
import { startSimulator, type Simulator } from '../../simulator/simulator.js';
import { captureIo } from '../../test-support/cli-io.js';
import { tempDir } from '../../test-support/temp-db.js';
import { Store } from '../../store/store.js';
import { truthCandles } from '../../test-support/truth.js';
import { expectSameCandles } from '../../test-support/same-candles.js';

describe('candlekeep backfill with Binance archives', () => {
  let sim: Simulator;
  let dir: { dir: string; cleanup: () => void };
  let env: NodeJS.ProcessEnv;
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

  beforeAll(async () => {
    sim = await startSimulator({ seed: 5 });
    dir = tempDir();
    env = { CANDLEKEEP_BINANCE_URL: `${sim.url}/binance`, CANDLEKEEP_BINANCE_DATA_URL: `${sim.url}/binance-data` };
  });
  afterAll(async () => {
    dir.cleanup();
    await sim.close();
  });

  async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const c = captureIo(env);
    const code = await main(argv, c.io);
    return { code, out: c.out(), err: c.err() };
  }

  it('--plan shows which files and ranges it would fetch, and sends nothing', async () => {
    const before = sim.log.since().length;
    const { code, out } = await run('backfill', ...range, '--plan', '--db', path.join(dir.dir, 'plan.db'));
    expect(code).toBe(0);
    expect(out).toBe(
      [
        'plan for binance BTCUSDT 1m:',
        '  archives, daily:   2 files (2024-01-01, 2024-01-02)',
        '  cross-check:       2024-01-02T00:00Z..2024-01-03T00:00Z from BTCUSDT-1m-2024-01-02.zip and over REST',
        '  requests:          4 archive downloads (no API weight) + 2 REST; REST alone would take 3',
        '  (a missing or corrupt archive file is fetched over REST instead)',
        '',
      ].join('\n'),
    );
    expect(sim.log.since().length).toBe(before);
  });

  it('stores the range from archives and says what they gave', async () => {
    const db = path.join(dir.dir, 'archives.db');
    const { code, out } = await run('backfill', ...range, '--db', db);
    expect(code).toBe(0);
    expect(out).toMatch(
      /^stored \d+ candles of binance BTCUSDT 1m in 2 requests, .*\narchives: 2 of 2 files imported; cross-check: \d+ candles agree with REST\n$/,
    );
    const store = Store.open(db, { readonly: true });
    const series = store.series.find({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' })!;
    expectSameCandles(
      store.candles.range(series.id, Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 3)),
      truthCandles(sim, 'BTCUSDT', Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 3)),
    );
    store.close();
  });

  it('--rest-only leaves the archives alone', async () => {
    const before = sim.log.since().length;
    const { code } = await run('backfill', ...range, '--rest-only', '--db', path.join(dir.dir, 'rest.db'));
    expect(code).toBe(0);
    expect(
      sim.log
        .since(0)
        .slice(before)
        .filter((e) => e.path.startsWith('/binance-data/')),
    ).toEqual([]);
  });
});
