/**
 * The quality checks against the simulator: anomalies in a day of 1m candles (none in normal data;
 * exactly the injected spike, volume burst and stalled run), cross-timeframe consistency (1m against
 * 1h), and cross-source agreement of Binance, CoinGecko and Yahoo (their normal noise passes, one
 * source diverging is named with both values).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import { ManualClock } from '../net/clock.js';
import { Network } from '../net/network.js';
import { Store } from '../store/store.js';
import { BinanceSource } from '../sources/binance.js';
import { CoinGeckoSource } from '../sources/coingecko.js';
import { YahooSource } from '../sources/yahoo.js';
import { backfill } from '../engine/backfill.js';
import { openTempStore } from '../test-support/temp-store.js';
import { truthCandles } from '../test-support/truth.js';
import { qualityReports } from './quality-report.js';
import type { Source } from '../sources/source.js';
import type { Candle, Series } from '../../shared/domain.js';
import type { Timeframe } from '../../shared/timeframe.js';

const M = 60_000;
const H = 60 * M;
const DAY = 24 * H;
let sim: Simulator;
let store: Store;
let closeStore: () => void;
let clock: ManualClock;
let network: Network;

async function simAt(now: number): Promise<void> {
  clock = new ManualClock(now);
  network = new Network(clock);
  sim = await startSimulator({ seed: 5, clock });
}

beforeEach(() => {
  ({ store, close: closeStore } = openTempStore());
});
afterEach(async () => {
  closeStore();
  network.stop();
  await sim.close();
});

const binance = (): Source => new BinanceSource({ hosts: [`${sim.url}/binance`], clock, network });
const coingecko = (): Source =>
  new CoinGeckoSource({ baseUrl: `${sim.url}/coingecko/api/v3`, plan: 'keyless', clock, network });
const yahoo = (): Source => new YahooSource({ hosts: [`${sim.url}/yahoo`], clock, network });

async function keep(
  source: Source,
  symbol: string,
  timeframe: Timeframe,
  from: number,
  to = clock.now(),
): Promise<Series> {
  const summary = await backfill({ store, source, clock }, { key: { source: source.id, symbol, timeframe }, from, to });
  return store.series.get(summary.seriesId)!;
}

async function post(path: string, body: object): Promise<void> {
  const res = await fetch(`${sim.url}/_sim/${path}`, { method: 'POST', body: JSON.stringify(body) });
  expect(res.status, await res.clone().text()).toBe(200);
}

const report = async (series: Series) => (await qualityReports(store, [series], clock.now()))[0]!;
const candleAt = (series: Series, ts: number): Candle => store.candles.range(series.id, ts, ts + 1)[0]!;

describe('anomalies', () => {
  const DAY0 = Date.parse('2024-03-12T00:00:00Z');

  it('a normal day has none; a spike, a volume burst and a stalled run are flagged exactly, and kept', async () => {
    await simAt(DAY0 + 2 * DAY + 30_000);
    const clean = await keep(binance(), 'BTCUSDT', '1m', DAY0, DAY0 + DAY);
    const first = await report(clean);
    expect(first.anomalies).toEqual({ returnOutliers: 0, volumeOutliers: 0, flatRuns: 0, flatCandles: 0 });
    expect(first.recentFlags).toEqual([]);

    // The next day, as the venue published it: one close 5% up, one volume a thousandfold, eight frozen minutes.
    const day = DAY0 + DAY;
    const truth = sim.truth('binance', 'BTCUSDT');
    const minute = (ts: number) => truth.candleAt('1m', ts, clock.now())!;
    const spike = day + 9 * H + 17 * M;
    const burst = day + 14 * H + 3 * M;
    const frozen = day + 18 * H + 40 * M;
    const spikeClose = Math.round(minute(spike).close * 1.05) / 100;
    await post('revise', { symbol: 'BTCUSDT', openTime: spike, close: spikeClose, high: spikeClose });
    await post('revise', { symbol: 'BTCUSDT', openTime: burst, volume: (minute(burst).volume * 1000) / 1e8 });
    const price = minute(frozen - M).close / 100;
    for (let i = 0; i < 8; i++)
      await post('revise', {
        symbol: 'BTCUSDT',
        openTime: frozen + i * M,
        open: price,
        high: price,
        low: price,
        close: price,
        volume: 0,
      });
    const series = await keep(binance(), 'BTCUSDT', '1m', DAY0, DAY0 + 2 * DAY);
    expect(series.id).toBe(clean.id);

    const second = await report(series);
    expect(second.anomalies).toEqual({ returnOutliers: 2, volumeOutliers: 1, flatRuns: 1, flatCandles: 8 });
    expect(second.recentFlags.map((f) => [f.kind, f.ts, f.toTs])).toEqual([
      ['flat_run', frozen, frozen + 8 * M],
      ['volume_outlier', burst, burst + M],
      ['return_outlier', spike + M, spike + 2 * M],
      ['return_outlier', spike, spike + M],
    ]);
    const move = ((spikeClose / (minute(spike - M).close / 100) - 1) * 100).toFixed(2);
    expect(second.recentFlags.find((f) => f.ts === spike)!.message).toMatch(
      new RegExp(`^close moved \\+${move}% in one candle at 2024-03-13T09:17Z`),
    );
    expect(second.recentFlags[0]!.message).toBe(
      `8 identical flat candles at ${price} (open = high = low = close) from 2024-03-13T18:40Z to 2024-03-13T18:48Z: a stalled feed or no trading`,
    );
    // Annotations, not deletions: every candle the venue published is stored, the flagged ones as they came.
    expect(candleAt(series, spike).close).toBe(spikeClose);
    expect(store.candles.count(series.id, DAY0, DAY0 + 2 * DAY)).toBe(
      truthCandles(sim, 'BTCUSDT', DAY0, DAY0 + 2 * DAY).length,
    );

    // Asking again finds the same, once (the checks resume where they stopped).
    const third = await report(series);
    expect(third.anomalies).toEqual(second.anomalies);
    expect(third.recentFlags).toEqual(second.recentFlags);
  });
});

describe('cross-timeframe consistency', () => {
  it('1h candles equal the aggregate of the 1m ones; a 1m candle that differs shows as a mismatch of that hour', async () => {
    const day = Date.parse('2024-03-12T00:00:00Z');
    await simAt(day + DAY + 30_000);
    const minutes = await keep(binance(), 'BTCUSDT', '1m', day);
    const hours = await keep(binance(), 'BTCUSDT', '1h', day);
    const clean = await report(hours);
    expect(clean.timeframes).toEqual([
      {
        higherSeriesId: hours.id,
        higherTimeframe: '1h',
        lowerSeriesId: minutes.id,
        lowerTimeframe: '1m',
        compared: 24,
        mismatches: 0,
      },
    ]);
    expect((await report(minutes)).timeframes).toEqual(clean.timeframes);

    // Another day: the venue revises the last minute of 15:00 after the 1m series stored it; the 1h series, fetched later, has the revision.
    clock.set(day + 2 * DAY + 30_000);
    await keep(binance(), 'BTCUSDT', '1m', day);
    const last = day + DAY + 15 * H + 59 * M;
    const stored = candleAt(minutes, last);
    await post('revise', {
      symbol: 'BTCUSDT',
      openTime: last,
      close: stored.close + 25,
      high: Math.max(stored.high, stored.close + 25),
    });
    await keep(binance(), 'BTCUSDT', '1h', day);
    const r = await report(hours);
    expect(r.timeframes).toEqual([{ ...clean.timeframes[0]!, compared: 48, mismatches: 1 }]);
    const flag = r.recentFlags.find((f) => f.kind === 'timeframe_mismatch')!;
    expect([flag.ts, flag.toTs]).toEqual([day + DAY + 15 * H, day + DAY + 16 * H]);
    expect(flag.message).toContain(`close ${stored.close + 25} vs ${stored.close}`);
  });
});

describe('cross-source agreement', () => {
  const NOW = Date.parse('2024-06-01T00:10:00Z');

  async function threeSources(): Promise<Series[]> {
    const from = NOW - 7 * DAY;
    const series = [
      await keep(binance(), 'BTCUSDT', '1h', from),
      await keep(coingecko(), 'bitcoin/usd', '4h', from),
      await keep(yahoo(), 'BTC-USD', '1h', from),
    ];
    store.assets.set(
      'BTC',
      series.map((s) => ({ source: s.source, symbol: s.symbol })),
      0.005,
      NOW,
    );
    return series;
  }

  it('the venues differ by a few basis points: compared, and nothing flagged', async () => {
    await simAt(NOW);
    const [b, c, y] = await threeSources();
    const reports = await qualityReports(store, [b!, c!, y!], NOW);
    for (const r of reports) {
      expect(r.sources, `${r.source}`).toMatchObject({ asset: 'BTC', tolerance: 0.005, deviations: 0 });
      expect(r.sources!.compared).toBeGreaterThan(40);
      expect(r.sources!.maxDeviation).toBeGreaterThan(0.0001);
      expect(r.sources!.maxDeviation).toBeLessThan(0.005);
    }
    // Binance and Yahoo meet every hour, CoinGecko every four.
    expect(reports[0]!.sources!.compared).toBe(reports[2]!.sources!.compared);
    expect(reports[1]!.sources!.compared).toBeLessThan(reports[0]!.sources!.compared / 3);
    expect(reports[1]!.sources!.peers).toEqual([
      { source: 'binance', symbol: 'BTCUSDT' },
      { source: 'yahoo', symbol: 'BTC-USD' },
    ]);
  });

  it('CoinGecko 3% off for twelve hours: exactly its three 4h closes are flagged, naming every value; the others are not', async () => {
    await simAt(NOW);
    const from = Date.parse('2024-05-28T08:00:00Z');
    await post('diverge', { venue: 'coingecko', symbol: 'bitcoin', from, to: from + 12 * H, factor: 1.03 });
    const [b, c, y] = await threeSources();
    const [rb, rc, ry] = await qualityReports(store, [b!, c!, y!], NOW);
    expect([rb!.sources!.deviations, rc!.sources!.deviations, ry!.sources!.deviations]).toEqual([0, 3, 0]);
    const flags = rc!.recentFlags.filter((f) => f.kind === 'source_deviation');
    expect(flags.map((f) => f.toTs)).toEqual([from + 12 * H, from + 8 * H, from + 4 * H]);
    const flag = flags[0]!;
    const close = candleAt(c!, flag.ts).close;
    const binanceClose = candleAt(b!, flag.toTs - H).close;
    const yahooClose = candleAt(y!, flag.toTs - H).close;
    expect(flag.message).toMatch(
      new RegExp(
        `^BTC: coingecko bitcoin/usd closed at ${close} at 2024-05-28T20:00:00.000Z, 3\\.\\d\\d% from binance BTCUSDT ${binanceClose}, yahoo BTC-USD ${yahooClose} \\(median of all .*\\); tolerance 0\\.50%$`,
      ),
    );
    expect(rc!.sources!.maxDeviation).toBeGreaterThan(0.025);
  });
});
