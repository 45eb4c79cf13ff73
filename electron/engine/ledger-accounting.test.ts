/**
 * The engine never loses track of a range: every host unreachable at start, a stop in the middle of
 * a history job, a settled hole whose data the source publishes late. Each ends with the store equal
 * to the simulator's truth and `verify` clean.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../test-support/engine-rig.js';
import { truthCandles } from '../test-support/truth.js';
import { Engine } from './engine.js';
import { BinanceSource } from '../sources/binance.js';
import { liveEdge } from './series-planner.js';
import { verifyStore } from './ledger-verify.js';
import { DEFAULT_EVIDENCE } from './evidence.js';
import { unlookedHole } from './hole-ledger.js';
import { HOUR_MS, type Timeframe } from '../../shared/timeframe.js';
import type { Series } from '../../shared/domain.js';

const START = Date.parse('2024-03-10T00:00:00Z');
const DAY = 24 * HOUR_MS;
let rig: EngineRig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** Stored candles equal the truth up to a few minutes before now (the tail may still be in flight). */
function expectTruth(r: EngineRig, series: Series, from: number): void {
  const edge = liveEdge(series, r.clock.now() - 5 * 60_000, r.engine.config.tail);
  expect(r.store.candles.range(series.id, from, edge), `${series.symbol} ${series.timeframe}`).toEqual(
    truthCandles(r.sim, series.symbol, from, edge, series.timeframe),
  );
}

describe('the ledger accounts for every range', () => {
  it('starting while every host is unreachable, then the hosts coming back: the store equals the truth', async () => {
    rig = await engineRig(START);
    const keepFrom = START - DAY;
    const wanted: Array<[string, Timeframe]> = [
      ['BTCUSDT', '1m'],
      ['ETHUSDT', '5m'],
      ['BTCUSDT', '1h'],
    ];
    for (const [symbol, timeframe] of wanted)
      rig.store.series.ensure({ source: 'binance', symbol, timeframe }, keepFrom, START);
    for (const url of rig.sim.urls) rig.sim.outage(new URL(url).port, 20 * 60_000);
    await rig.engine.start();
    await rig.run(10 * 60_000);
    // While the hosts are down, nothing is lost: every range not stored is in the ledger, with the error.
    expect(verifyStore(rig.store, rig.clock.now()).findings).toEqual([]);
    const failed = rig.store.holes.list().filter((h) => h.cause === 'fetch_failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((h) => h.state === 'open' && h.lastError && h.looks === 0)).toBe(true);

    await rig.run(6 * HOUR_MS);
    for (const series of rig.store.series.list()) expectTruth(rig, series, keepFrom);
    expect(rig.store.holes.list().filter((h) => h.cause === 'fetch_failed' || h.cause === 'not_fetched')).toEqual([]);
    expect(verifyStore(rig.store, rig.clock.now()).findings).toEqual([]);
  }, 120_000);

  it('a stop in the middle of a history job: what was not fetched is in the ledger, and a new engine fetches it', async () => {
    // A tight budget (20 weight a minute) makes a month of 1m history take several simulated minutes.
    rig = await engineRig(START, { weightLimit: 20 });
    const keepFrom = START - 30 * DAY;
    const series = rig.store.series.ensure({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, keepFrom, START);
    await rig.engine.start();
    await rig.run(60_000, 10_000);
    await rig.engine.stop();
    const stored = rig.store.candles.count(series.id, keepFrom, START);
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(29 * 1440);
    expect(rig.store.holes.list(series.id).some((h) => h.cause === 'not_fetched')).toBe(true);
    expect(verifyStore(rig.store, rig.clock.now()).findings).toEqual([]);

    const r = rig;
    const restarted = new Engine({
      store: r.store,
      clock: r.clock,
      network: r.network,
      events: r.events,
      sourceFor: () =>
        new BinanceSource({ hosts: [`${r.sim.url}/binance`], clock: r.clock, network: r.network, timeoutMs: 2_000 }),
      config: r.engine.config,
    });
    await restarted.start();
    for (let t = 0; t < 40 * 60_000; t += 60_000) {
      await restarted.whenIdle();
      await r.clock.advance(60_000);
    }
    await restarted.whenIdle();
    await restarted.stop();
    expect(r.store.candles.range(series.id, keepFrom, START)).toEqual(truthCandles(r.sim, 'BTCUSDT', keepFrom, START));
    expect(r.store.holes.list(series.id).filter((h) => h.cause === 'not_fetched')).toEqual([]);
    expect(verifyStore(r.store, r.clock.now()).findings).toEqual([]);
  }, 120_000);

  it('a settled hole gets its late look a day on: data published since is stored, and the event log says late data', async () => {
    rig = await engineRig(START);
    const keepFrom = START - 2 * DAY;
    const series = rig.store.series.ensure({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1h' }, keepFrom, START);
    await rig.engine.start();
    await rig.run(HOUR_MS);
    // As if the source had nothing there when we looked twice: the range settled empty, a late look due.
    const late = { from: START - 10 * HOUR_MS, to: START - 7 * HOUR_MS };
    const now = rig.clock.now();
    rig.store.transaction(() => {
      rig!.store.db
        .prepare('DELETE FROM candles WHERE series_id = ? AND ts >= ? AND ts < ?')
        .run(series.id, late.from, late.to);
      rig!.store.holes.replace(
        series.id,
        [],
        [
          {
            ...unlookedHole(late, 'source_gap', now + DEFAULT_EVIDENCE.lateLookAfterMs),
            state: 'confirmed_empty',
            looks: 2,
            lookedAt: now,
            settledAt: now,
          },
        ],
        now,
      );
    });
    rig.store.candles.forgetTotal(series.id);
    await rig.run(DAY - HOUR_MS);
    expect(rig.store.candles.count(series.id, late.from, late.to)).toBe(0);
    await rig.run(2 * HOUR_MS);
    expectTruth(rig, series, keepFrom);
    expect(rig.store.holes.overlapping(series.id, late.from, late.to)).toEqual([]);
    expect(
      rig.store.events
        .list({ kinds: ['repair'] })
        .map((e) => e.message)
        .some((m) => /^late data: 3 candle\(s\) of BTCUSDT 1h/.test(m)),
    ).toBe(true);
    expect(verifyStore(rig.store, rig.clock.now()).findings).toEqual([]);
  }, 120_000);
});
