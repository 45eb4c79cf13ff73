/** `candlekeep sources`, `symbols`, and backfill/export with every kind of source, against the simulator. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { startSimulator, type Simulator } from '../../simulator/simulator.js';
import { captureIo } from '../../test-support/cli-io.js';
import { tempDir } from '../../test-support/temp-db.js';
import { Store } from '../../store/store.js';
import path from 'node:path';

describe('source discovery and backfill from the command line', () => {
  let sim: Simulator;
  let env: NodeJS.ProcessEnv;
  let dir: { dir: string; cleanup: () => void };

  beforeAll(async () => {
    sim = await startSimulator({ seed: 3 });
    env = {
      CANDLEKEEP_BINANCE_URL: `${sim.url}/binance`,
      CANDLEKEEP_COINGECKO_URL: `${sim.url}/coingecko/api/v3`,
      CANDLEKEEP_YAHOO_URL: `${sim.url}/yahoo`,
      CANDLEKEEP_CCXT_BINANCE_URL: `${sim.url}/binance/api/v3`,
      CANDLEKEEP_CCXT_BINANCE_OPTIONS: '{"fetchMarkets":["spot"]}',
    };
    dir = tempDir();
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

  it('`sources` says what each source serves and how far back', async () => {
    const { code, out } = await run('sources');
    expect(code).toBe(0);
    expect(out).toContain(
      'coingecko\n  timeframes: 30m (last 1 day), 4h (last 30 days), 1d (last 365 days)\n  up to 180 candles a request; volume: no; trading: 24/7\n',
    );
    expect(out).toContain(
      'yahoo\n  timeframes: 1m (last 30 days), 5m/15m/30m (last 60 days), 1h (last 730 days), 1d/1w/1M (all history)\n',
    );
    expect(out).toContain('trading: in sessions (closed hours are not gaps)');
    expect(out).toContain('binance\n  timeframes: 1m/3m/5m/15m/30m/1h/2h/4h/6h/8h/12h/1d/3d/1w/1M (all history)\n');
    expect(out).toMatch(/ccxt:<exchange>\n {2}any of \d+ ccxt exchanges that serve candles, .*: .*\bkraken\b/);
    const kraken = await run('sources', '--source', 'ccxt:kraken');
    expect(kraken.out).toContain(
      'ccxt:kraken\n  timeframes: 1m (last 12 hours), 5m (last 60 hours), 15m (last 180 hours), 30m (last 15 days), 1h (last 30 days)',
    );
  });

  it('`symbols` lists what a source offers, in the form --symbol takes', async () => {
    expect((await run('symbols', '--source', 'coingecko', '--search', 'bit')).out).toBe(
      'bitcoin/usd\tBitcoin; btc/usd\n',
    );
    expect((await run('symbols', '--source', 'yahoo', '--search', 'apple')).out).toBe(
      'AAPL\tApple Inc.; trades in sessions\n',
    );
    expect((await run('symbols', '--source', 'ccxt:binance', '--search', 'sol')).out).toBe('SOL/USDT\tSOL/USDT spot\n');
    const yahooAll = await run('symbols', '--source', 'yahoo');
    expect(yahooAll).toMatchObject({
      code: 1,
      err: 'candlekeep symbols: Yahoo has no list of all its symbols: pass --search TEXT (a name or ticker, e.g. --search apple)\n',
    });
  });

  it('backfills and exports CoinGecko bitcoin --vs usd: volume left empty, never a 24h figure', async () => {
    const db = path.join(dir.dir, 'cg.db');
    const now = Date.now();
    const from = new Date(now - 2 * 86_400_000).toISOString();
    const to = new Date(now).toISOString();
    const backfilled = await run(
      'backfill',
      '--source',
      'coingecko',
      '--symbol',
      'bitcoin',
      '--vs',
      'usd',
      '--timeframe',
      '4h',
      '--from',
      from,
      '--to',
      to,
      '--db',
      db,
      '--json',
    );
    expect(backfilled.code).toBe(0);
    expect(JSON.parse(backfilled.out)).toMatchObject({
      source: 'coingecko',
      symbol: 'bitcoin/usd',
      timeframe: '4h',
      holes: [],
    });
    const exported = await run(
      'export',
      '--source',
      'coingecko',
      '--symbol',
      'bitcoin',
      '--vs',
      'usd',
      '--timeframe',
      '4h',
      '--db',
      db,
    );
    const rows = exported.out.trim().split('\n');
    expect(rows[0]).toBe('ts,open,high,low,close,volume');
    expect(rows.length).toBeGreaterThanOrEqual(11);
    expect(rows.slice(1).every((r) => /^\d+,[\d.]+,[\d.]+,[\d.]+,[\d.]+,$/.test(r))).toBe(true);
  });

  it('backfills Yahoo AAPL daily and ccxt:binance BTC/USDT hourly, each stored under its own symbol', async () => {
    const db = path.join(dir.dir, 'mixed.db');
    const now = Date.now();
    const iso = (ms: number): string => new Date(ms).toISOString();
    const yahoo = await run(
      'backfill',
      '--source',
      'yahoo',
      '--symbol',
      'AAPL',
      '--timeframe',
      '1d',
      '--from',
      iso(now - 30 * 86_400_000),
      '--to',
      iso(now),
      '--db',
      db,
      '--json',
    );
    expect(yahoo.code).toBe(0);
    expect(JSON.parse(yahoo.out)).toMatchObject({ source: 'yahoo', symbol: 'AAPL', holes: [] });
    const ccxt = await run(
      'backfill',
      '--source',
      'ccxt:binance',
      '--symbol',
      'BTC/USDT',
      '--timeframe',
      '1h',
      '--from',
      iso(now - 2 * 86_400_000),
      '--to',
      iso(now),
      '--db',
      db,
      '--json',
    );
    expect(ccxt.code).toBe(0);
    const store = Store.open(db, { readonly: true });
    try {
      expect(store.series.list().map((s) => `${s.source} ${s.symbol} ${s.timeframe}`)).toEqual([
        'ccxt:binance BTC/USDT 1h',
        'yahoo AAPL 1d',
      ]);
      expect(store.series.summaries().every((s) => s.candleCount > 0)).toBe(true);
    } finally {
      store.close();
    }
    const exported = await run(
      'export',
      '--source',
      'ccxt:binance',
      '--symbol',
      'btc/usdt',
      '--timeframe',
      '1h',
      '--db',
      db,
    );
    expect(exported.out.trim().split('\n').length).toBeGreaterThanOrEqual(47);
  });

  it('says plainly when --vs does not apply, or a symbol is in the wrong form', async () => {
    expect(
      await run(
        'backfill',
        '--source',
        'binance',
        '--symbol',
        'BTCUSDT',
        '--vs',
        'usd',
        '--timeframe',
        '1m',
        '--from',
        '2024-01-01',
        '--to',
        '2024-01-02',
        '--db',
        path.join(dir.dir, 'x.db'),
      ),
    ).toMatchObject({
      code: 2,
      err: 'candlekeep backfill: --vs is for --source coingecko only; binance symbols name their quote currency (e.g. BTCUSDT, BTC/USDT)\n',
    });
    expect(
      await run('export', '--source', 'coingecko', '--symbol', 'bitcoin/usd', '--vs', 'eur', '--timeframe', '1d'),
    ).toMatchObject({
      code: 2,
      err: 'candlekeep export: give the currency once: --symbol bitcoin --vs eur, or --symbol bitcoin/usd alone\n',
    });
    expect(await run('export', '--source', 'ccxt:binance', '--symbol', 'BTCUSDT', '--timeframe', '1d')).toMatchObject({
      code: 2,
    });
  });
});
