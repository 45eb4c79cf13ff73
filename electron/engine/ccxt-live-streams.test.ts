/**
 * Live tails of a `ccxt:binance` series over ccxt.pro's watchOHLCV, against the simulator's Binance
 * streams and REST over real loopback and a real SQLite file: closed candles are stored from the
 * stream (no REST tail while it is healthy), nothing forming is ever stored, and under dropped and
 * stalled streams the REST catch-up fills what is missing, so the store still equals the truth.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../test-support/engine-rig.js';
import { truthCandles } from '../test-support/truth.js';
import { expectSameCandles } from '../test-support/same-candles.js';
import { verifyStore } from './ledger-verify.js';
import { liveEdge } from './series-planner.js';
import type { LoggedRequest } from '../simulator/request-log.js';
import type { Series } from '../../shared/domain.js';
import type { FaultRule } from '../simulator/faults.js';

const START = Date.parse('2024-06-01T00:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const PAIRS = [
  ['BTC/USDT', 'BTCUSDT'],
  ['ETH/USDT', 'ETHUSDT'],
] as const;

/** Tail requests: klines pages starting near the moment they were asked (revisions re-read older ones). */
const tailRequests = (log: LoggedRequest[], after: number): LoggedRequest[] =>
  log.filter(
    (e) => e.path === '/binance/api/v3/klines' && e.at >= after && Number(e.query.startTime) >= e.at - 5 * MINUTE,
  );

describe('ccxt:binance live tails over watchOHLCV', () => {
  let rig: EngineRig | null = null;
  afterEach(async () => {
    await rig?.close();
    rig = null;
  });

  const keep = (r: EngineRig): Series[] =>
    PAIRS.map(([symbol]) =>
      r.store.series.ensure({ source: 'ccxt:binance', symbol, timeframe: '1m' }, START - HOUR, START),
    );

  const venueSymbol = (series: Series): string => PAIRS.find(([s]) => s === series.symbol)![1];

  /** Step through `ms` a minute at a time; after each step no stored candle may still be forming. */
  const runWatchingForming = async (r: EngineRig, list: Series[], ms: number): Promise<void> => {
    for (let t = 0; t < ms; t += MINUTE) {
      await r.run(MINUTE);
      for (const series of list) {
        const last = r.store.candles.lastBefore(series.id, Number.MAX_SAFE_INTEGER);
        if (last !== null) expect(last + MINUTE).toBeLessThanOrEqual(r.clock.now());
      }
    }
  };

  const expectTruth = (r: EngineRig, list: Series[]): void => {
    for (const series of list) {
      const edge = liveEdge(series, r.clock.now(), r.engine.config.tail);
      expectSameCandles(
        r.store.candles.range(series.id, START - HOUR, edge),
        truthCandles(r.sim, venueSymbol(series), START - HOUR, edge),
      );
    }
    expect(verifyStore(r.store, r.clock.now()).findings).toEqual([]);
    // Never a wrong candle stored and corrected later by the revision re-read: each was right at once.
    expect(r.store.events.list({ kinds: ['revision'] })).toEqual([]);
  };

  it('stores the closes from watchOHLCV, so no REST tail request is sent while the stream is healthy', async () => {
    rig = await engineRig(START, {}, {}, { streams: true });
    const list = keep(rig);
    await rig.engine.start();
    await runWatchingForming(rig, list, 30 * MINUTE);
    expectTruth(rig, list);
    expect(rig.engine.streamStats('ccxt:binance')).toMatchObject({ state: 'live', connections: 1, streams: 2 });
    expect(rig.engine.streamStats('ccxt:binance')!.messages).toBeGreaterThan(30 * 30);
    // After the first minutes (history, and the tail before the stream answered): none.
    expect(tailRequests(rig.sim.log.since(), START + 5 * MINUTE)).toEqual([]);
    // ccxt.pro opened one connection and subscribed there (binance: /ws/<n>, then SUBSCRIBE).
    const log = rig.sim.log.since();
    expect(log.filter((e) => e.path.startsWith('/binance/ws') && e.method === 'GET')).toHaveLength(1);
    expect(log.filter((e) => e.method === 'SUBSCRIBE').flatMap((e) => e.query.params!.split('/'))).toEqual(
      expect.arrayContaining(['btcusdt@kline_1m', 'ethusdt@kline_1m']),
    );
  }, 60_000);

  const dropsAndStalls: FaultRule[] = [
    { kind: 'stream_drop', probability: 0.004 },
    { kind: 'stream_stall', probability: 0.004, durationMs: 90_000 },
  ];

  it('keeps three hours equal to the truth when the stream is dropped and stalled, by the later-candle rule alone', async () => {
    rig = await engineRig(START, {}, {}, { streams: true, ccxtClosingFlags: false });
    for (const rule of dropsAndStalls) rig.sim.faults.add(rule);
    const list = keep(rig);
    await rig.engine.start();
    await runWatchingForming(rig, list, 3 * HOUR);
    expectTruth(rig, list);
    const stats = rig.engine.streamStats('ccxt:binance')!;
    // The faults happened, and each cost a reconnect (a stall is cut by our silence watch).
    expect(stats.reconnects).toBeGreaterThan(5);
    const opened = rig.sim.log.since().filter((e) => e.path.startsWith('/binance/ws') && e.method === 'GET');
    expect(opened.length).toBe(stats.reconnects + 1);
    // The REST catch-up did the filling, yet far less than polling every close would.
    const tails = tailRequests(rig.sim.log.since(), START + 5 * MINUTE).length;
    expect(tails).toBeGreaterThan(0);
    expect(tails).toBeLessThan((3 * HOUR) / MINUTE);
  }, 180_000);

  it("keeps the truth under every stream fault (missing, reordered and duplicated closes too), trusting Binance's closing flag", async () => {
    rig = await engineRig(START, { faults: 'streams' }, {}, { streams: true });
    for (const rule of dropsAndStalls) rig.sim.faults.add(rule);
    const list = keep(rig);
    await rig.engine.start();
    await runWatchingForming(rig, list, 3 * HOUR);
    expectTruth(rig, list);
    expect(rig.engine.streamStats('ccxt:binance')!.reconnects).toBeGreaterThan(5);
  }, 180_000);
});
