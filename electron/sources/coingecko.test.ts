import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import { ohlcRows, chartPoints } from '../simulator/coingecko-data.js';
import { ManualClock } from '../net/clock.js';
import { Network } from '../net/network.js';
import { Store } from '../store/store.js';
import { backfill } from '../engine/backfill.js';
import { openTempStore } from '../test-support/temp-store.js';
import { CoinGeckoSource, coingeckoSettings, type CoinGeckoPlan } from './coingecko.js';
import { SourceError } from './source.js';
import type { Candle } from '../../shared/domain.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, ceilToTimeframe } from '../../shared/timeframe.js';

const NOW = Date.parse('2024-06-01T00:10:00Z');

describe('coingecko backfill against the simulator', () => {
  let sim: Simulator;
  let store: Store;
  let closeStore: () => void;
  const clock = new ManualClock(NOW);

  beforeEach(async () => {
    sim = await startSimulator({ seed: 5, clock });
    ({ store, close: closeStore } = openTempStore());
  });
  afterEach(async () => {
    closeStore();
    await sim.close();
  });

  const source = (plan: CoinGeckoPlan = 'keyless', apiKey?: string): CoinGeckoSource =>
    new CoinGeckoSource({ baseUrl: `${sim.url}/coingecko/api/v3`, plan, apiKey, clock, network: new Network(clock) });
  const truth = () => sim.coingecko.coins.get('bitcoin')!;

  /** The simulator's /ohlc rows for `days`, as candles at their open time in [from, to). */
  function servedOhlc(days: number, size: number, from: number, to: number): Candle[] {
    return ohlcRows(truth(), days, NOW)
      .map(([close, open, high, low, last]) => ({ ts: close - size, open, high, low, close: last, volume: null }))
      .filter((c) => c.ts >= from && c.ts < to);
  }

  it('stores 4h /ohlc candles at their open time (CoinGecko stamps the close), with no volume', async () => {
    const from = ceilToTimeframe('4h', NOW - 30 * DAY_MS);
    const summary = await backfill(
      { store, clock, source: source() },
      { key: { source: 'coingecko', symbol: 'Bitcoin', timeframe: '4h' }, from, to: NOW },
    );
    expect(summary.symbol).toBe('bitcoin/usd');
    const expected = servedOhlc(30, 4 * HOUR_MS, from, NOW);
    expect(expected.length).toBe(179); // 2024-05-02T04:00 to the last candle closed by 00:10
    expect(store.candles.range(summary.seriesId, from, NOW)).toEqual(expected);
    expect(summary.holes).toEqual([]);
    expect(sim.log.since().map((e) => e.query)).toEqual([{ vs_currency: 'usd', days: '30', precision: 'full' }]);
  });

  it('asks /ohlc for the fewest allowed days that cover the range', async () => {
    const from = ceilToTimeframe('4h', NOW - 5 * DAY_MS);
    await backfill(
      { store, clock, source: source() },
      { key: { source: 'coingecko', symbol: 'ethereum/usd', timeframe: '4h' }, from, to: NOW },
    );
    expect(sim.log.since().map((e) => [e.path, e.query.days])).toEqual([
      ['/coingecko/api/v3/coins/ethereum/ohlc', '7'],
    ]);
  });

  it('stores the last day of 30m candles; a 30m candle the venue lacks is a confirmed source gap', async () => {
    const from = ceilToTimeframe('30m', NOW - DAY_MS);
    const to = Date.parse('2024-06-01T00:00:00Z');
    const summary = await backfill(
      { store, clock, source: source() },
      { key: { source: 'coingecko', symbol: 'bitcoin', timeframe: '30m' }, from, to },
    );
    const expected = servedOhlc(1, 30 * MINUTE_MS, from, to);
    expect(store.candles.range(summary.seriesId, from, to)).toEqual(expected);
    const missing = [];
    for (let t = from; t < to; t += 30 * MINUTE_MS) if (!expected.some((c) => c.ts === t)) missing.push(t);
    expect(summary.holes.map((h) => h.state)).toEqual(missing.map(() => 'confirmed_empty'));
    expect(
      summary.holes.flatMap((h) => {
        const ts = [];
        for (let t = h.fromTs; t < h.toTs; t += 30 * MINUTE_MS) ts.push(t);
        return ts;
      }),
    ).toEqual(missing);
  });

  it('builds 1d candles from hourly market_chart/range prices, ≤ 90 days a request, demo key in its header', async () => {
    const from = Date.parse('2023-11-14T00:00:00Z');
    const to = Date.parse('2024-06-01T00:00:00Z');
    const summary = await backfill(
      { store, clock, source: source('demo', 'CG-demo-key') },
      { key: { source: 'coingecko', symbol: 'bitcoin/usd', timeframe: '1d' }, from, to },
    );
    const expected: Candle[] = [];
    for (let day = from; day < to; day += DAY_MS) {
      const prices = chartPoints(truth(), day - DAY_MS, day + DAY_MS, NOW)
        .prices.filter(([t]) => t >= day && t < day + DAY_MS)
        .map(([, p]) => p);
      expect(prices.length).toBeGreaterThanOrEqual(20); // hourly, a maintenance window aside
      expected.push({
        ts: day,
        open: prices[0]!,
        high: Math.max(...prices),
        low: Math.min(...prices),
        close: prices[prices.length - 1]!,
        volume: null,
      });
    }
    expect(store.candles.range(summary.seriesId, from, to)).toEqual(expected);
    expect(summary.holes).toEqual([]);
    const requests = sim.log.since();
    expect(requests.map((e) => e.path)).toEqual(Array(3).fill('/coingecko/api/v3/coins/bitcoin/market_chart/range'));
    expect(requests.every((e) => Number(e.query.to) - Number(e.query.from) < 90 * 86_400)).toBe(true);
    expect(sim.coingecko.plans).toEqual(['demo', 'demo', 'demo']);
  });

  it('refuses history beyond 365 days without a pro key before sending anything; with one it is served', async () => {
    const from = NOW - 400 * DAY_MS;
    await expect(
      backfill(
        { store, clock, source: source('demo', 'CG-demo-key') },
        { key: { source: 'coingecko', symbol: 'bitcoin', timeframe: '1d' }, from, to: NOW },
      ),
    ).rejects.toThrow(
      "coingecko serves 1d candles only for the last 365 days (from 2023-06-02T00:10:00.000Z): start later; a pro key (CANDLEKEEP_COINGECKO_PRO_API_KEY) reaches all of CoinGecko's daily history",
    );
    await expect(
      backfill(
        { store, clock, source: source() },
        { key: { source: 'coingecko', symbol: 'bitcoin', timeframe: '1h' }, from: NOW - DAY_MS, to: NOW },
      ),
    ).rejects.toThrow('coingecko has no 1h candles: it serves 30m (last 1 day), 4h (last 30 days), 1d (last 365 days)');
    expect(sim.log.since()).toEqual([]);

    const summary = await backfill(
      { store, clock, source: source('pro', 'CG-pro-key') },
      { key: { source: 'coingecko', symbol: 'bitcoin', timeframe: '1d' }, from, to: NOW },
    );
    expect(summary.candlesStored).toBe(399); // 2023-04-29 (the first whole day) to 2024-05-31
    expect(new Set(sim.coingecko.plans)).toEqual(new Set(['pro']));
  });

  it("passes on CoinGecko's own error with what to do, and never shows the key", async () => {
    const err = await backfill(
      { store, clock, source: source('demo', 'CG-secret-key') },
      { key: { source: 'coingecko', symbol: 'nocoin', timeframe: '4h' }, from: NOW - DAY_MS, to: NOW },
    ).then(
      () => new Error('no error'),
      (e: unknown) => e as Error,
    );
    expect(err.message).toBe(
      "CoinGecko refused the request (HTTP 404): coin not found: check the coin id with 'candlekeep symbols --source coingecko --search TEXT'",
    );
    expect(err.message).not.toContain('CG-secret-key');
    await expect(
      backfill(
        { store, clock, source: source() },
        { key: { source: 'coingecko', symbol: 'bitcoin/xyz', timeframe: '4h' }, from: NOW - DAY_MS, to: NOW },
      ),
    ).rejects.toThrow(
      'CoinGecko refused the request (HTTP 400): invalid vs_currency: use a currency CoinGecko prices in, e.g. --vs usd',
    );
  });

  it('reports a JSON 429 as a rate limit with its Retry-After', async () => {
    sim.coingecko.limits.keyless = 0;
    const err = await source()
      .fetchWindow({ symbol: 'bitcoin/usd', timeframe: '4h', from: NOW - DAY_MS, to: NOW })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect(err).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterSec: 60 });
    expect((err as Error).message).toMatch(/^CoinGecko rate limit \(HTTP 429\): You've exceeded the Rate Limit/);
  });

  it('lists coins as <id>/usd from /coins/list', async () => {
    expect(await source().listInstruments('bit')).toEqual([
      { symbol: 'bitcoin/usd', name: 'Bitcoin', base: 'btc', quote: 'usd', trading: '24/7' },
    ]);
    expect((await source().listInstruments()).length).toBe(sim.coingecko.coins.size);
  });
});

describe('coingecko settings from the environment', () => {
  it('picks host and key header by plan; the pro key wins', () => {
    expect(coingeckoSettings({})).toEqual({
      baseUrl: 'https://api.coingecko.com/api/v3',
      plan: 'keyless',
      apiKey: undefined,
      callsPerMinute: undefined,
    });
    expect(coingeckoSettings({ CANDLEKEEP_COINGECKO_API_KEY: 'd' })).toMatchObject({
      baseUrl: 'https://api.coingecko.com/api/v3',
      plan: 'demo',
      apiKey: 'd',
    });
    expect(
      coingeckoSettings({ CANDLEKEEP_COINGECKO_API_KEY: 'd', CANDLEKEEP_COINGECKO_PRO_API_KEY: 'p' }),
    ).toMatchObject({ baseUrl: 'https://pro-api.coingecko.com/api/v3', plan: 'pro', apiKey: 'p' });
    expect(coingeckoSettings({ CANDLEKEEP_COINGECKO_URL: 'http://127.0.0.1:9/coingecko/api/v3' })).toMatchObject({
      baseUrl: 'http://127.0.0.1:9/coingecko/api/v3',
    });
  });
});
