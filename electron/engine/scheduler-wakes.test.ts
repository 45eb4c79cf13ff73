/**
 * The engine's scheduler sleeps until a wake it chose from what it knew. What becomes due after that
 * must not wait for that wake: a series added to a running engine (a fresh daemon, then `candlekeep
 * series add`) or resumed on it gets its live tail from the first close, and an hourly candle the
 * source had not published yet is asked for again a minute later. Before, both waited for the next
 * sweep (up to an hour) or the next close. Against the simulator over real loopback, with the stored
 * candles compared with the simulator's truth.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../test-support/engine-rig.js';
import { truthCandles } from '../test-support/truth.js';
import { expectSameCandles } from '../test-support/same-candles.js';
import { DEFAULT_TAIL_TIMING, liveEdge } from './series-planner.js';

const M = 60_000;
/** Half past a minute, and far from the hourly sweep at minute 7: only the tail's timer can fetch. */
const START = Date.parse('2024-06-03T10:20:30Z');
const RUN = 12 * M;

let rig: EngineRig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

/** The tail requests sent after `after`: klines windows that end at the live edge. */
const tailsAfter = (r: EngineRig, after: number): number =>
  r.sim.log.since().filter((e) => e.path.endsWith('/api/v3/klines') && e.at > after).length;

async function expectTailedToTheEdge(r: EngineRig, seriesId: number, from: number, addedAt: number): Promise<void> {
  const series = r.store.series.get(seriesId)!;
  const edge = liveEdge(series, r.clock.now(), DEFAULT_TAIL_TIMING);
  expect(edge).toBeGreaterThan(addedAt + 10 * M);
  expectSameCandles(r.store.candles.range(seriesId, from, edge), truthCandles(r.sim, 'ETHUSDT', from, edge));
  // One request a minute after the first history: the tail polled, it did not wait for a sweep.
  expect(tailsAfter(r, addedAt + M)).toBeGreaterThanOrEqual(10);
}

describe('a series that joins a running engine', () => {
  it('added after the engine started with no series, is tailed at every close', async () => {
    rig = await engineRig(START);
    await rig.engine.start();
    await rig.run(2 * M);
    const addedAt = rig.clock.now();
    const from = addedAt - 30 * M - (addedAt % M);
    const series = rig.store.series.ensure({ source: 'binance', symbol: 'ETHUSDT', timeframe: '1m' }, from, addedAt);
    rig.engine.seriesAdded(series.id);
    await rig.run(RUN);
    await expectTailedToTheEdge(rig, series.id, from, addedAt);
  });

  it('resumed while it was the only series and paused, is tailed at every close', async () => {
    rig = await engineRig(START);
    const from = START - 30 * M - (START % M);
    const series = rig.store.series.ensure({ source: 'binance', symbol: 'ETHUSDT', timeframe: '1m' }, from, START);
    rig.store.series.setEnabled(series.id, false);
    await rig.engine.start();
    await rig.run(2 * M);
    const resumedAt = rig.clock.now();
    rig.engine.setSeriesEnabled(series.id, true);
    await rig.run(RUN);
    await expectTailedToTheEdge(rig, series.id, from, resumedAt);
  });
});

describe('an hourly series whose newest candle the source has not published yet', () => {
  it('is asked again a minute later, not at the next sweep or close', async () => {
    // The only series is hourly: after its tail, the engine's next wake is the sweep (minute 7) or
    // the next close, unless the short tail's look a minute later wakes it.
    const start = Date.parse('2024-06-03T10:20:00Z');
    rig = await engineRig(start);
    const H = 60 * M;
    const from = start - 5 * H - (start % H);
    const series = rig.store.series.ensure({ source: 'binance', symbol: 'ETHUSDT', timeframe: '1h' }, from, start);
    await rig.engine.start();
    await rig.run(M);
    // The 10:00 candle, asked a few seconds after it closes at 11:00, comes back missing once.
    rig.sim.faults.add({ kind: 'short_page', rows: 0, route: '/binance/api/v3/klines', count: 1 });
    const closed = Date.parse('2024-06-03T11:00:00Z');
    await rig.run(closed - rig.clock.now() + 2 * M + 30_000, 10_000);
    const asked = rig.sim.log.since().filter((e) => e.path.endsWith('/api/v3/klines') && e.at >= closed);
    expect(asked.length).toBe(2); // the short answer, then the look a minute later
    expect(asked[1]!.at - asked[0]!.at).toBeLessThan(M + 10_000);
    expectSameCandles(
      rig.store.candles.range(series.id, from, closed),
      truthCandles(rig.sim, 'ETHUSDT', from, closed, '1h'),
    );
  });
});
