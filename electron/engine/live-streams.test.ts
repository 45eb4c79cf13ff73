/**
 * Live tails from Binance's kline streams, against the simulator's streams over real loopback and a
 * real SQLite file: closed candles are stored from the stream, the REST tail only fetches what the
 * stream did not deliver, and under stream faults the result is still exactly the truth.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../test-support/engine-rig.js';
import { truthCandles } from '../test-support/truth.js';
import { expectSameCandles } from '../test-support/same-candles.js';
import { verifyStore } from './ledger-verify.js';
import { liveEdge } from './series-planner.js';
import type { LoggedRequest } from '../simulator/request-log.js';
import type { Series } from '../../shared/domain.js';

const START = Date.parse('2024-06-01T00:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];

/** Tail requests: klines windows ending near the moment they were asked (revisions re-read older ones). */
const tailRequests = (log: LoggedRequest[], after: number): LoggedRequest[] =>
  log.filter(
    (e) => e.path === '/binance/api/v3/klines' && e.at >= after && Number(e.query.endTime) >= e.at - 5 * MINUTE,
  );

describe('live tails from kline streams', () => {
  let rig: EngineRig | null = null;
  afterEach(async () => {
    await rig?.close();
    rig = null;
  });

  const keep = (r: EngineRig): Series[] =>
    SYMBOLS.map((symbol) => r.store.series.ensure({ source: 'binance', symbol, timeframe: '1m' }, START - HOUR, START));

  const expectTruth = (r: EngineRig, list: Series[]): void => {
    for (const series of list) {
      const edge = liveEdge(series, r.clock.now(), r.engine.config.tail);
      expectSameCandles(
        r.store.candles.range(series.id, START - HOUR, edge),
        truthCandles(r.sim, series.symbol, START - HOUR, edge),
      );
    }
    expect(verifyStore(r.store, r.clock.now()).findings).toEqual([]);
  };

  it('stores closed candles from the stream, so the REST tail sends nothing while it is healthy', async () => {
    rig = await engineRig(START, {}, {}, { streams: true });
    const list = keep(rig);
    await rig.engine.start();
    await rig.run(30 * MINUTE);
    expectTruth(rig, list);
    expect(rig.engine.streamStats('binance')).toMatchObject({ state: 'live', connections: 1, streams: 3 });
    // After the first minutes (history, and the tail before the subscription was confirmed): none.
    expect(tailRequests(rig.sim.log.since(), START + 5 * MINUTE)).toEqual([]);
    const subscribed = rig.sim.log.since().filter((e) => e.method === 'SUBSCRIBE');
    expect(subscribed.map((e) => e.query.params)).toEqual(['btcusdt@kline_1m/ethusdt@kline_1m/solusdt@kline_1m']);
  });

  it('keeps a simulated day of 1m tails equal to the truth under stream faults, with 20x fewer tail requests than polling', async () => {
    rig = await engineRig(START, { faults: 'streams' }, {}, { streams: true });
    const list = keep(rig);
    await rig.engine.start();
    await rig.run(24 * HOUR);
    expectTruth(rig, list);
    const log = rig.sim.log.since();
    const streamed = tailRequests(log, START + 10 * MINUTE).length;
    const reconnects = rig.engine.streamStats('binance')!.reconnects;
    // The faults happened: the stream was dropped and stalled, and reconnected each time.
    expect(reconnects).toBeGreaterThan(5);
    expect(log.filter((e) => e.path === '/binance/stream' && e.method === 'GET').length).toBe(reconnects + 1);
    await rig.close();

    // The same series polled over REST for six hours, on the same clock steps.
    rig = await engineRig(START, {}, {}, { streams: false });
    keep(rig);
    await rig.engine.start();
    await rig.run(6 * HOUR);
    const polledPerHour = tailRequests(rig.sim.log.since(), START + 10 * MINUTE).length / (6 * HOUR - 10 * MINUTE);
    const streamedPerHour = streamed / (24 * HOUR - 10 * MINUTE);
    expect(polledPerHour / Math.max(streamedPerHour, 1 / (24 * HOUR))).toBeGreaterThanOrEqual(20);
  }, 240_000);
});
