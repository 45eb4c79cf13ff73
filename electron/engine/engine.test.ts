import { afterEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../test-support/engine-rig.js';
import { truthCandles } from '../test-support/truth.js';
import { gapsInWindow } from './coverage.js';
import { liveEdge } from './series-planner.js';
import { verifyStore } from './ledger-verify.js';
import { HOUR_MS, type Timeframe } from '../../shared/timeframe.js';

const START = Date.parse('2024-03-10T00:00:00Z');
let rig: EngineRig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const SERIES: Array<[string, Timeframe]> = [
  ['BTCUSDT', '1m'],
  ['ETHUSDT', '1m'],
  ['SOLUSDT', '1m'],
  ['BNBUSDT', '1m'],
  ['XRPUSDT', '5m'],
  ['ADAUSDT', '5m'],
  ['DOGEUSDT', '5m'],
  ['LTCUSDT', '1h'],
  ['ETHBTC', '1h'],
  ['BTCUSDT', '1h'],
];

describe('engine', () => {
  it('tails ten series on three timeframes for a simulated day under flaky faults: every candle stored, every true hole confirmed', async () => {
    rig = await engineRig(START, { faults: 'flaky' });
    const keepFrom = START - 6 * HOUR_MS;
    for (const [symbol, timeframe] of SERIES)
      rig.store.series.ensure({ source: 'binance', symbol, timeframe }, keepFrom, START);
    await rig.engine.start();
    await rig.run(24 * HOUR_MS);
    await rig.run(30 * 60_000); // let second looks at the last holes come due

    const faults = rig.sim.log.since().filter((e) => e.fault).length;
    expect(faults).toBeGreaterThan(20);
    for (const series of rig.store.series.list()) {
      // The last few minutes may still be in flight (a tail request retrying a flaky answer).
      const edge = liveEdge(series, rig.clock.now() - 5 * 60_000, rig.engine.config.tail);
      const truth = truthCandles(rig.sim, series.symbol, keepFrom, edge, series.timeframe);
      expect(rig.store.candles.range(series.id, keepFrom, edge), `${series.symbol} ${series.timeframe}`).toEqual(truth);
      const trueHoles = gapsInWindow(
        series.timeframe,
        { from: keepFrom, to: edge },
        truth.map((c) => c.ts),
      ).filter((g) => g.to < edge);
      const ledger = rig.store.holes.list(series.id).map((h) => ({ from: h.fromTs, to: h.toTs, state: h.state }));
      expect(ledger, `${series.symbol} ${series.timeframe} holes`).toEqual(
        trueHoles.map((g) => ({ ...g, state: 'confirmed_empty' })),
      );
    }
    const maintenance = rig.store.holes.list().filter((h) => h.cause === 'source_gap');
    expect(maintenance.length).toBeGreaterThan(0);
    expect(verifyStore(rig.store, rig.clock.now()).findings).toEqual([]);
  }, 180_000);

  it('a five-year 1m backfill does not delay the live tail of other series by more than one candle', async () => {
    // A tight budget (200 weight a minute) makes the history compete with the tails for every request.
    rig = await engineRig(START, { weightLimit: 200 });
    const big = rig.store.series.ensure(
      { source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' },
      START - 5 * 365 * 24 * HOUR_MS,
      START,
    );
    const live = ['ETHUSDT', 'SOLUSDT', 'BNBUSDT'].map((symbol) =>
      rig!.store.series.ensure({ source: 'binance', symbol, timeframe: '1m' }, START - HOUR_MS, START),
    );
    await rig.engine.start();
    let worstLag = 0;
    for (let step = 0; step < 6 * 7; step++) {
      await rig.run(10_000, 10_000);
      for (const series of live) {
        const edge = liveEdge(series, rig.clock.now(), rig.engine.config.tail);
        const last = rig.store.candles.lastBefore(series.id, edge)!;
        worstLag = Math.max(worstLag, edge - (last + 60_000));
      }
    }
    expect(worstLag).toBeLessThanOrEqual(60_000);
    // Meanwhile the history made progress with what the tails left.
    const history = rig.engine.jobList().find((j) => j.seriesId === big.id && j.kind === 'backfill')!;
    expect(history.windowsDone).toBeGreaterThan(400);
    expect(rig.sim.log.since().filter((e) => e.status === 429 || e.status === 418)).toEqual([]);
  }, 120_000);

  it('notices missed time after the machine slept and fetches it first thing', async () => {
    rig = await engineRig(START);
    const series = rig.store.series.ensure(
      { source: 'binance', symbol: 'ETHUSDT', timeframe: '1m' },
      START - HOUR_MS,
      START,
    );
    await rig.engine.start();
    await rig.run(5 * 60_000);
    // The machine sleeps for six hours: no timer fires, then the clock is simply later.
    rig.clock.set(rig.clock.now() + 6 * HOUR_MS);
    await rig.run(10_000, 10_000);
    const edge = liveEdge(series, rig.clock.now(), rig.engine.config.tail);
    expect(rig.store.candles.lastBefore(series.id, edge)).toBe(edge - 60_000);
    expect(rig.store.candles.range(series.id, START - HOUR_MS, edge)).toEqual(
      truthCandles(rig.sim, 'ETHUSDT', START - HOUR_MS, edge),
    );
    expect(
      rig.store.events.list({ kinds: ['engine'] }).some((e) => /catching up: woke 36\d min late/.test(e.message)),
    ).toBe(true);
  });

  it('fills a long history from the Binance archives first, and only the rest over the API', async () => {
    rig = await engineRig(START, {}, {}, { archives: true });
    const keepFrom = Date.parse('2023-10-01T00:00:00Z');
    const series = rig.store.series.ensure({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, keepFrom, START);
    await rig.engine.start();
    for (let i = 0; i < 30 && rig.engine.jobList().every((j) => j.kind !== 'backfill' || j.state !== 'done'); i++)
      await rig.run(60_000);
    await rig.run(10 * 60_000);
    const edge = liveEdge(series, rig.clock.now(), rig.engine.config.tail);
    expect(rig.store.candles.range(series.id, keepFrom, edge)).toEqual(
      truthCandles(rig.sim, 'BTCUSDT', keepFrom, edge),
    );
    const log = rig.sim.log.since();
    const archives = log.filter((e) => e.path.startsWith('/binance-data/') && e.path.endsWith('.zip'));
    const klines = log.filter((e) => e.path.endsWith('/klines'));
    expect(archives.length).toBeGreaterThanOrEqual(5); // five months, October to February
    // Over 230 windows of history over the API without archives; the tail, the overlap day and second looks with them.
    expect(klines.length).toBeLessThan(80);
  }, 120_000);

  it('finds every hole punched into a stored series in one sweep and repairs them all', async () => {
    rig = await engineRig(START);
    const keepFrom = START - 3 * 24 * HOUR_MS;
    const series = rig.store.series.ensure({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, keepFrom, START);
    await rig.engine.start();
    await rig.run(2 * 60_000);
    const edge = liveEdge(series, rig.clock.now(), rig.engine.config.tail);
    expect(rig.store.candles.range(series.id, keepFrom, edge)).toEqual(
      truthCandles(rig.sim, 'BTCUSDT', keepFrom, edge),
    );

    // Punch 25 holes of 1 to 40 candles at deterministic pseudo-random places.
    const stored = rig.store.candles.range(series.id, keepFrom, edge).map((c) => c.ts);
    const punched = new Set<number>();
    let seed = 42;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 25; i++) {
      const at = 1 + Math.floor(random() * (stored.length - 60));
      const length = 1 + Math.floor(random() * 40);
      for (const ts of stored.slice(at, at + length)) punched.add(ts);
    }
    const del = rig.store.db.prepare('DELETE FROM candles WHERE series_id = ? AND ts = ?');
    rig.store.transaction(() => punched.forEach((ts) => del.run(series.id, ts)));
    expect(rig.store.candles.count(series.id, keepFrom, edge)).toBe(stored.length - punched.size);

    const found = await rig.engine.sweep();
    expect(found).toBeGreaterThan(0);
    const missing = rig.store.holes.list(series.id).filter((h) => h.cause === 'missing');
    expect(missing.reduce((n, h) => n + (h.toTs - h.fromTs) / 60_000, 0)).toBe(punched.size);

    await rig.run(60_000);
    expect(rig.store.candles.range(series.id, keepFrom, edge)).toEqual(
      truthCandles(rig.sim, 'BTCUSDT', keepFrom, edge),
    );
    expect(rig.store.holes.list(series.id).filter((h) => h.cause === 'missing')).toEqual([]);
    expect(await rig.engine.sweep()).toBe(0);
  });

  it('removes a series while its windows are in flight: nothing is written for it afterwards, and the others go on', async () => {
    // Answers take 300 ms of real time, so the removal lands while requests for the series are out.
    rig = await engineRig(START, { latencyMs: 300 });
    const doomed = rig.store.series.ensure(
      { source: 'binance', symbol: 'DOGEUSDT', timeframe: '1m' },
      START - 30 * 24 * HOUR_MS,
      START,
    );
    const kept = rig.store.series.ensure(
      { source: 'binance', symbol: 'ETHUSDT', timeframe: '1m' },
      START - HOUR_MS,
      START,
    );
    await rig.engine.start();
    const asked = (): boolean =>
      rig!.sim.log.since().some((e) => e.path.endsWith('/klines') && e.query.symbol === 'DOGEUSDT');
    for (let i = 0; i < 100 && !asked(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(asked()).toBe(true);

    rig.engine.removeSeries(doomed.id);
    await rig.run(5 * 60_000);

    expect(rig.store.series.get(doomed.id)).toBeNull();
    expect(rig.store.db.prepare('SELECT COUNT(*) AS n FROM candles WHERE series_id = ?').get(doomed.id)).toEqual({
      n: 0,
    });
    const doomedJobs = rig.engine.jobList().filter((j) => j.seriesId === doomed.id);
    expect(doomedJobs.every((j) => j.state === 'cancelled')).toBe(true);
    const edge = liveEdge(kept, rig.clock.now(), rig.engine.config.tail);
    expect(rig.store.candles.range(kept.id, START - HOUR_MS, edge)).toEqual(
      truthCandles(rig.sim, 'ETHUSDT', START - HOUR_MS, edge),
    );
  });
});
