/** `candlekeep quality` and `candlekeep assets` in-process, against the simulator and a real database file. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { runCli, type CliRun } from '../../test-support/cli-io.js';
import { startSimulator, type Simulator } from '../../simulator/simulator.js';
import { tempDir } from '../../test-support/temp-db.js';
import { contentDigest } from '../../test-support/db-digest.js';
import type { QualityReport } from '../../../shared/quality.js';

let sim: Simulator;
const dir = tempDir();
const db = path.join(dir.dir, 'quality.db');
const FROM = Date.parse('2024-01-01T00:00:00Z');

const run = (args: string[]): Promise<CliRun> =>
  runCli(args, {
    CANDLEKEEP_BINANCE_URL: `${sim.url}/binance`,
    CANDLEKEEP_COINGECKO_URL: `${sim.url}/coingecko/api/v3`,
    CANDLEKEEP_HOME: dir.dir,
  });

beforeAll(async () => {
  sim = await startSimulator({ seed: 4 });
  // The venue sends the 05:00 candle with a negative volume, every time.
  sim.faults.add({ kind: 'invalid_candle', invalid: 'negative_volume', openTime: FROM + 5 * 3_600_000 });
  const ok = await run([
    'backfill',
    '--source',
    'binance',
    '--symbol',
    'BTCUSDT',
    '--timeframe',
    '1h',
    '--from',
    '2024-01-01',
    '--to',
    '2024-01-03',
    '--db',
    db,
  ]);
  expect(ok.code, ok.err).toBe(0);
});

afterAll(async () => {
  await sim.close();
  dir.cleanup();
});

describe('candlekeep quality', () => {
  it('--json: the report per series, the quarantined candle counted by its reason', async () => {
    const result = await run(['quality', '--json', '--db', db]);
    expect(result.code, result.err).toBe(0);
    const [report] = JSON.parse(result.out) as QualityReport[];
    expect(report).toMatchObject({
      source: 'binance',
      symbol: 'BTCUSDT',
      timeframe: '1h',
      rejected: [{ reason: 'negative_volume', candles: 1 }],
    });
    // One backfill is one look: its holes stay open until a later look, at least ten minutes on, settles them.
    expect(report!.holes).toContainEqual({ cause: 'rejected', state: 'open', holes: 1, candles: 1 });
    // Two days of hours, less the rejected one and the venue's own holes (maintenance).
    const venueHoles = report!.holes.filter((h) => h.cause === 'source_gap').reduce((n, h) => n + h.candles, 0);
    expect(report!.completeness).toMatchObject({ stored: 48 - 1 - venueHoles, confirmedEmpty: 0 });
  });

  it('on a terminal: one block per series, a line per aspect', async () => {
    const result = await run(['quality', '--series', 'binance:BTCUSDT:1h', '--db', db]);
    expect(result.code, result.err).toBe(0);
    const lines = result.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^binance BTCUSDT 1h \(id 1\), 2024-01-01T00:00Z \.\. /);
    expect(lines).toContain('  rejected      1 candles: negative_volume 1');
    expect(lines.find((l) => l.startsWith('  holes '))).toContain('rejected/open 1 (1 candles)');
    expect(lines).toContain('  revisions     none');
  });

  it.each([
    [
      'an unknown series',
      ['quality', '--series', 'binance:NOPE:1h'],
      2,
      /no series 'binance:NOPE:1h': name it by id or as source:symbol:timeframe/,
    ],
    ['an unknown option', ['quality', '--serie', '1'], 2, /Unknown option '--serie'/],
    [
      'a tolerance that is not a percent',
      ['assets', 'set', 'BTC', 'binance:BTCUSDT', '--tolerance', '5'],
      2,
      /--tolerance '5' is not a deviation between 0 and 100%: write a percent like 0\.5%/,
    ],
    [
      'a listing without a source',
      ['assets', 'set', 'BTC', 'BTCUSDT'],
      2,
      /'BTCUSDT' is not a listing: write SOURCE:SYMBOL/,
    ],
    ['an unknown source', ['assets', 'set', 'BTC', 'nasdaq:AAPL'], 2, /unknown source 'nasdaq'/],
    ['a bad symbol', ['assets', 'set', 'BTC', 'binance:BTC USDT!'], 2, /invalid Binance symbol/],
    ['an asset with no listings', ['assets', 'set', 'BTC'], 2, /give the listings of BTC/],
    ['removing an unknown asset', ['assets', 'remove', 'NOPE'], 2, /no asset 'NOPE'/],
  ])('%s: one line, a non-zero exit, the database untouched', async (_name, args, code, message) => {
    const before = contentDigest(db);
    const result = await run([...args, '--db', db]);
    expect(result.code).toBe(code);
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.err).toMatch(message);
    expect(contentDigest(db)).toBe(before);
  });

  it('no database: says so', async () => {
    const result = await run(['quality', '--db', path.join(dir.dir, 'none.db')]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/no database at .*none\.db: backfill something first, or pass --db/);
  });
});

describe('candlekeep assets', () => {
  it('set, list, change the tolerance, remove a listing, remove the asset', async () => {
    const other = path.join(dir.dir, 'assets.db');
    expect((await run(['assets', 'set', 'BTC', 'binance:btcusdt', 'coingecko:bitcoin/usd', '--db', other])).out).toBe(
      'BTC (tolerance 0.50%): binance:BTCUSDT coingecko:bitcoin/usd\n',
    );
    expect((await run(['assets', 'set', 'BTC', '--tolerance', '1.5%', '--db', other])).out).toBe(
      'BTC (tolerance 1.50%): binance:BTCUSDT coingecko:bitcoin/usd\n',
    );
    const listed = await run(['assets', 'list', '--json', '--db', other]);
    expect(JSON.parse(listed.out)).toEqual([
      {
        name: 'BTC',
        tolerance: 0.015,
        listings: [
          { source: 'binance', symbol: 'BTCUSDT' },
          { source: 'coingecko', symbol: 'bitcoin/usd' },
        ],
      },
    ]);
    expect((await run(['assets', 'remove', 'BTC', 'coingecko:bitcoin/usd', '--db', other])).out).toBe(
      'removed 1 listing(s) from BTC\n',
    );
    expect((await run(['assets', 'remove', 'BTC', '--db', other])).out).toBe('removed BTC\n');
    expect((await run(['assets', 'list', '--db', other])).out).toMatch(/^no assets yet/);
  });
});
