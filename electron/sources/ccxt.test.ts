import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import { ManualClock } from '../net/clock.js';
import { Network } from '../net/network.js';
import { Store } from '../store/store.js';
import { backfill } from '../engine/backfill.js';
import { DEFAULT_EVIDENCE } from '../engine/evidence.js';
import { openTempStore } from '../test-support/temp-store.js';
import { tempDbPath } from '../test-support/temp-db.js';
import { truthCandles } from '../test-support/truth.js';
import { replay } from '../test-support/fixtures.js';
import { CcxtSource, ccxtModule } from './ccxt.js';
import { createSource } from './registry.js';
import { SourceError } from './source.js';
import { BinanceSource } from './binance.js';

const NOW = Date.parse('2024-06-01T00:00:00Z');
const FROM = Date.parse('2024-01-01T00:00:00Z');
const TO = Date.parse('2024-01-03T00:00:00Z');

describe('ccxt against the simulator', () => {
  let sim: Simulator;
  let store: Store;
  let closeStore: () => void;
  const clock = new ManualClock(NOW);

  beforeEach(async () => {
    sim = await startSimulator({ seed: 7, clock });
    ({ store, close: closeStore } = openTempStore());
  });
  afterEach(async () => {
    closeStore();
    await sim.close();
  });

  /** ccxt's binance client pointed at the simulator: only its URL and market types are changed. */
  const binanceConfig = () => ({
    urls: { api: { public: `${sim.url}/binance/api/v3` } },
    options: { fetchMarkets: ['spot'] },
  });
  const source = (windowCandles?: number) =>
    new CcxtSource({
      exchangeId: 'binance',
      config: binanceConfig(),
      clock,
      network: new Network(clock),
      windowCandles,
    });
  const klineRequests = () => sim.log.since().filter((e) => e.path === '/binance/api/v3/klines');

  it('ccxt:binance and the native binance source spend one per-IP budget: a 429 told to one stops the other, so the IP is never banned', async () => {
    const network = new Network(clock);
    const native = new BinanceSource({ hosts: [`${sim.url}/binance`], clock, network });
    const viaCcxt = new CcxtSource({ exchangeId: 'binance', config: binanceConfig(), clock, network });
    await native.fetchWindow({ symbol: 'BTCUSDT', timeframe: '1m', from: FROM, to: FROM + 60 * 60_000 });
    await viaCcxt.fetchWindow({ symbol: 'BTC/USDT', timeframe: '1m', from: FROM, to: FROM + 60 * 60_000 });
    // The venue answers the next request with 429 and Retry-After: a minute for the whole IP.
    sim.faults.add({ kind: 'rate_limit_storm', route: '/binance/api/v3/klines', durationMs: 60_000, count: 1 });
    await expect(
      native.fetchWindow({ symbol: 'BTCUSDT', timeframe: '1m', from: FROM, to: FROM + 60 * 60_000 }),
    ).rejects.toThrow(/429|Too much request weight/);
    const sent = klineRequests().length;
    const waiting = viaCcxt.fetchWindow({
      symbol: 'BTC/USDT',
      timeframe: '1m',
      from: FROM + 60 * 60_000,
      to: FROM + 120 * 60_000,
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(klineRequests().length).toBe(sent); // ccxt's call waits for the IP's Retry-After
    await clock.advance(61_000);
    expect((await waiting).candles).toEqual(truthCandles(sim, 'BTCUSDT', FROM + 60 * 60_000, FROM + 120 * 60_000));
    expect(sim.log.since().filter((e) => e.status === 418)).toEqual([]);
  });

  it("ccxt's own binance client loads the simulator's markets and candles, unmodified", async () => {
    const ccxt = ccxtModule();
    const exchange = new ccxt.binance({ enableRateLimit: false, ...binanceConfig() });
    const markets = await exchange.loadMarkets();
    expect(Object.keys(markets).sort()).toEqual(
      [...sim.binance.symbols.values()].map((t) => `${t.asset.binance!.base}/${t.asset.binance!.quote}`).sort(),
    );
    expect(markets['BTC/USDT']).toMatchObject({
      id: 'BTCUSDT',
      base: 'BTC',
      quote: 'USDT',
      spot: true,
      active: true,
      precision: { price: 0.01 },
    });
    const rows = await exchange.fetchOHLCV('BTC/USDT', '1m', FROM, 5);
    expect(rows.map(([ts, open, high, low, close, volume]) => ({ ts, open, high, low, close, volume }))).toEqual(
      truthCandles(sim, 'BTCUSDT', FROM, FROM + 5 * 60_000),
    );
  });

  it("turns a gateway's HTML page (CloudFront's 503) into one line of its text, with no markup", async () => {
    const ccxtBinance = source();
    await ccxtBinance.listInstruments(); // markets loaded before the gateway fails
    sim.faults.add({ kind: 'server_error', status: 503, route: '/binance/api/v3/klines' });
    const err = await ccxtBinance
      .fetchWindow({ symbol: 'BTC/USDT', timeframe: '1m', from: FROM, to: TO })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'unavailable', status: 503 });
    const message = (err as Error).message;
    expect(message).toMatch(/^ccxt:binance: .*503.*The request could not be satisfied/);
    expect(message).not.toMatch(/[<>\n]/);
  });

  it('backfills BTC/USDT through ccxt: exactly the served candles, the maintenance windows as confirmed holes', async () => {
    const ccxtBinance = source();
    const first = await backfill(
      { store, clock, source: ccxtBinance },
      { key: { source: 'ccxt:binance', symbol: 'btc/usdt', timeframe: '1m' }, from: FROM, to: TO },
    );
    expect(first.holes.every((h) => h.state === 'open')).toBe(true);
    // The second look, aimed at each hole, after the rule's delay: one request per hole.
    await clock.advance(DEFAULT_EVIDENCE.secondLookAfterMs);
    const sent = klineRequests().length;
    const summary = await backfill(
      { store, clock, source: ccxtBinance },
      { key: { source: 'ccxt:binance', symbol: 'btc/usdt', timeframe: '1m' }, from: FROM, to: TO },
    );
    expect(klineRequests().length - sent).toBe(first.holes.length);
    expect(summary.symbol).toBe('BTC/USDT');
    expect(store.candles.range(summary.seriesId, FROM, TO)).toEqual(truthCandles(sim, 'BTCUSDT', FROM, TO));
    const windows = sim.truth('binance', 'BTCUSDT').emptyWindows(FROM, TO);
    expect(windows.length).toBeGreaterThan(0);
    expect(summary.holes.map((h) => ({ from: h.fromTs, to: h.toTs, state: h.state }))).toEqual(
      windows.map((w) => ({ ...w, state: 'confirmed_empty' })),
    );
    // ccxt's throttle is off; its requests went through our transport and were counted.
    expect(sim.log.since().filter((e) => e.path === '/binance/api/v3/exchangeInfo')).toHaveLength(1);
    expect(first.requests + summary.requests).toBe(sim.log.since().length);
  });

  it('pages inside a window wider than one answer, never taking a page of 1000 as the end', async () => {
    const end = FROM + 2500 * 60_000;
    const result = await source(2500).fetchWindow({ symbol: 'BTC/USDT', timeframe: '1m', from: FROM, to: end });
    expect(result.candles).toEqual(truthCandles(sim, 'BTCUSDT', FROM, end));
    // The next page starts after the last candle served (a maintenance window inside a page pushes
    // it further), until the window is covered.
    const truth = sim.truth('binance', 'BTCUSDT');
    const expectedStarts: number[] = [];
    for (let start = FROM; start < end;) {
      expectedStarts.push(start);
      const page = truth
        .range('1m', start, NOW, Math.min(1000, (end - start) / 60_000), NOW)
        .filter((c) => c.openTime < end);
      if (!page.length) break;
      start = page[page.length - 1]!.openTime + 60_000;
    }
    expect(expectedStarts.length).toBeGreaterThanOrEqual(3);
    expect(klineRequests().map((e) => [Number(e.query.startTime), Number(e.query.limit)])).toEqual(
      expectedStarts.map((start) => [start, Math.min(1000, (end - start) / 60_000)]),
    );
    expect(result.requests).toBe(1 + expectedStarts.length); // markets, then the pages

    const summary = await backfill(
      { store, clock, source: source(2500) },
      { key: { source: 'ccxt:binance', symbol: 'BTC/USDT', timeframe: '1m' }, from: FROM, to: TO },
    );
    expect(store.candles.range(summary.seriesId, FROM, TO)).toEqual(truthCandles(sim, 'BTCUSDT', FROM, TO));
  });

  it("fails on a symbol the exchange does not list, with ccxt's message and where to look", async () => {
    await expect(
      backfill(
        { store, clock, source: source() },
        { key: { source: 'ccxt:binance', symbol: 'NOPE/USDT', timeframe: '1m' }, from: FROM, to: TO },
      ),
    ).rejects.toThrow(
      /ccxt:binance: binance does not have market symbol NOPE\/USDT; list its symbols with 'candlekeep symbols --source ccxt:binance --search NOPE'/,
    );
    expect(klineRequests()).toEqual([]);
  });

  it('loads the markets again once the exchange answers after a failed first load (unreachable at start)', async () => {
    const port = new URL(sim.url).port;
    sim.outage(port, 60_000);
    const ccxtSource = source();
    const window = { symbol: 'ETH/USDT', timeframe: '1m' as const, from: FROM, to: FROM + 10 * 60_000 };
    await expect(ccxtSource.fetchWindow(window)).rejects.toThrow(/ccxt:binance unreachable/);
    sim.outage(port, 0);
    await clock.advance(2_000);
    expect((await ccxtSource.fetchWindow(window)).candles).toEqual(
      truthCandles(sim, 'ETHUSDT', window.from, window.to),
    );
    expect(sim.log.since().map((e) => e.path)).toEqual(['/binance/api/v3/exchangeInfo', '/binance/api/v3/klines']);
  });

  it.each([
    ['a market list of the wrong shape', '/binance/api/v3/exchangeInfo', /listed no markets/],
    [
      'a klines row without its prices',
      '/binance/api/v3/klines',
      /row for ETH\/USDT at 2024-01-01T00:00:00.000Z without its prices/,
    ],
  ])('takes %s as a malformed answer (retried), never as a missing symbol or candle', async (_what, route, message) => {
    const ccxtSource = source();
    const window = { symbol: 'ETH/USDT', timeframe: '1m' as const, from: FROM, to: FROM + 10 * 60_000 };
    sim.faults.add({ kind: 'malformed', route, count: 1 });
    const failed = await ccxtSource.fetchWindow(window).catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(SourceError);
    expect(failed).toMatchObject({ kind: 'malformed', message: expect.stringMatching(message) });
    expect((await ccxtSource.fetchWindow(window)).candles).toEqual(
      truthCandles(sim, 'ETHUSDT', window.from, window.to),
    );
  });

  it('lists instruments from the loaded markets', async () => {
    expect((await source().listInstruments('eth')).map((i) => i.symbol)).toEqual(['ETH/USDT', 'ETH/BTC']);
  });
});

describe('ccxt capabilities, known before any request', () => {
  const clock = new ManualClock(NOW);
  const ctx = () => ({ clock, env: {}, network: new Network(clock) });

  it("refuses a timeframe the exchange lacks and a start beyond Kraken's 720 most recent candles", async () => {
    const kraken = createSource('ccxt:kraken', ctx());
    expect(kraken.capabilities.timeframes).toEqual(['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w']);
    const db = tempDbPath();
    const store = Store.open(db.file);
    try {
      const deps = { store, clock, source: kraken };
      await expect(
        backfill(deps, {
          key: { source: 'ccxt:kraken', symbol: 'BTC/USD', timeframe: '3m' },
          from: NOW - 3_600_000,
          to: NOW,
        }),
      ).rejects.toThrow(/ccxt:kraken has no 3m candles: it serves 1m \(last 12 hours\), 5m \(last 60 hours\)/);
      await expect(
        backfill(deps, {
          key: { source: 'ccxt:kraken', symbol: 'BTC/USD', timeframe: '1h' },
          from: NOW - 31 * 86_400_000,
          to: NOW,
        }),
      ).rejects.toThrow(
        /ccxt:kraken serves 1h candles only for the last 30 days \(from 2024-05-02T00:00:00.000Z\): start later or a timeframe that reaches further: 4h \(last 120 days\)/,
      );
    } finally {
      store.close();
      db.cleanup();
    }
  });

  it('names the problem for an unknown exchange or symbol form', () => {
    expect(() => createSource('ccxt:nosuchexchange', ctx())).toThrow(
      "ccxt has no exchange 'nosuchexchange': run 'candlekeep sources' for the ids",
    );
    expect(() => createSource('ccxt:kraken', ctx()).normalizeSymbol('BTCUSD')).toThrow(
      "invalid ccxt symbol 'BTCUSD': use ccxt's unified form BASE/QUOTE, e.g. BTC/USDT",
    );
  });

  it('turns an exchange 429 into a rate limit carrying its Retry-After', async () => {
    const server = await replay({
      url: '',
      status: 429,
      headers: { 'content-type': 'application/json', 'retry-after': '17' },
      body: '{"code":-1003,"msg":"Too much request weight used; current limit is 6000 request weight per 1 MINUTE."}',
    });
    try {
      const src = new CcxtSource({
        exchangeId: 'binance',
        config: { urls: { api: { public: `${server.url}/api/v3` } }, options: { fetchMarkets: ['spot'] } },
        clock,
        network: new Network(clock),
      });
      const err = await src
        .fetchWindow({ symbol: 'BTC/USDT', timeframe: '1m', from: FROM, to: TO })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SourceError);
      expect(err).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterSec: 17 });
      expect((err as Error).message).toMatch(/^ccxt:binance: .*Too much request weight used/);
    } finally {
      await server.close();
    }
  });
});
