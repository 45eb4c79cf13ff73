/**
 * What the live tail costs in REST requests with many series, one of which goes into maintenance (the
 * exchange publishes nothing for it, and its newest candle stays missing): against the simulator over
 * real loopback and a real SQLite file, counted in the simulator's own request log. Polling asks each
 * series once a minute, the silent one too; with streams only the silent one is asked, once a minute.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../test-support/engine-rig.js';
import { truthCandles } from '../test-support/truth.js';
import { expectSameCandles } from '../test-support/same-candles.js';
import { verifyStore } from './ledger-verify.js';
import { liveEdge } from './series-planner.js';
import { VenueTruth } from '../simulator/truth.js';
import { syntheticAssets } from '../simulator/instruments.js';
import type { LoggedRequest } from '../simulator/request-log.js';
import type { Series } from '../../shared/domain.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const SEED = 5;
const SERIES = 30;
/** The shortest maintenance window any of the series has in its first week (deterministic per seed). */
const MAINTENANCE = syntheticAssets(SERIES)
  .map((asset) => ({
    symbol: asset.binance!.symbol,
    window: new VenueTruth(SEED, 'binance', asset).nextMaintenance(Date.parse('2024-06-01T00:00:00Z'))!,
  }))
  .filter(({ window }) => window.from < Date.parse('2024-06-01T00:00:00Z') + 7 * DAY)
  .sort((a, b) => a.window.to - a.window.from - (b.window.to - b.window.from))[0]!;
/** The run starts a few minutes before the maintenance and ends a few minutes after it. */
const START = MAINTENANCE.window.from - 5 * MINUTE;
const RUN = MAINTENANCE.window.to + 3 * MINUTE - START;
/** Counted after the history and the stream subscription of the first minutes. */
const MEASURED_FROM = START + 3 * MINUTE;
const MEASURED_MINUTES = (START + RUN - MEASURED_FROM) / MINUTE;

/** Tail requests: klines windows ending near the moment they were asked (revisions re-read older ones). */
const tailRequests = (log: LoggedRequest[]): LoggedRequest[] =>
  log.filter(
    (e) => e.path === '/binance/api/v3/klines' && e.at >= MEASURED_FROM && Number(e.query.endTime) >= e.at - 5 * MINUTE,
  );

const perSymbol = (requests: LoggedRequest[]): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const e of requests) counts.set(e.query.symbol!, (counts.get(e.query.symbol!) ?? 0) + 1);
  return counts;
};

describe('REST tail requests with many series, one of them in maintenance', () => {
  let rig: EngineRig | null = null;
  afterEach(async () => {
    await rig?.close();
    rig = null;
  });

  /** Every synthetic series kept from ten minutes before the start, run through the maintenance. */
  const runAll = async (streams: boolean): Promise<{ series: Series[]; tail: LoggedRequest[] }> => {
    // A budget of 300 weight a minute (Binance's is 6,000): plenty for a tail a minute per series, and a
    // tail that asked again as fast as it was answered would spend it all the same, only sooner.
    rig = await engineRig(START, { seed: SEED, symbols: SERIES, weightLimit: 300 }, {}, { streams });
    const r = rig;
    const series = syntheticAssets(SERIES).map((asset) =>
      r.store.series.ensure(
        { source: 'binance', symbol: asset.binance!.symbol, timeframe: '1m' },
        START - 10 * MINUTE,
        START,
      ),
    );
    await r.engine.start();
    await r.run(RUN);
    return { series, tail: tailRequests(r.sim.log.since()) };
  };

  /** Every series holds exactly the truth, and the maintenance is in the ledger as the source's gap. */
  const expectTruth = (r: EngineRig, series: Series[]): void => {
    for (const s of series) {
      const edge = liveEdge(s, r.clock.now(), r.engine.config.tail);
      expectSameCandles(
        r.store.candles.range(s.id, START - 10 * MINUTE, edge),
        truthCandles(r.sim, s.symbol, START - 10 * MINUTE, edge),
      );
    }
    const silent = series.find((s) => s.symbol === MAINTENANCE.symbol)!;
    const holes = r.store.holes.list(silent.id);
    expect(holes.map((h) => h.cause)).toEqual(holes.map(() => 'source_gap'));
    expect([holes[0]?.fromTs, holes.at(-1)?.toTs]).toEqual([MAINTENANCE.window.from, MAINTENANCE.window.to]);
    expect(verifyStore(r.store, r.clock.now()).findings).toEqual([]);
  };

  it('polls each series once a minute, and the one in maintenance no more often than the others', async () => {
    const { series, tail } = await runAll(false);
    expectTruth(rig!, series);
    const counts = perSymbol(tail);
    expect(counts.size).toBe(SERIES);
    // One request per series and minute (a window that timed out on a busy machine is asked once more).
    const offPace = [...counts].filter(([, n]) => n < MEASURED_MINUTES || n > MEASURED_MINUTES + 1);
    expect(offPace).toEqual([]);
  }, 120_000);

  it('with streams, asks REST only for the series whose stream is silent, once a minute', async () => {
    const { series, tail } = await runAll(true);
    expectTruth(rig!, series);
    const counts = perSymbol(tail);
    expect([...counts.keys()]).toEqual([MAINTENANCE.symbol]);
    // Each minute of the maintenance, and once more for the first candle after it.
    const maintenanceMinutes = (MAINTENANCE.window.to - MAINTENANCE.window.from) / MINUTE;
    expect(counts.get(MAINTENANCE.symbol)).toBeLessThanOrEqual(maintenanceMinutes + 2);
    // Against polling's one per series and minute: at most 5%.
    expect(tail.length).toBeLessThanOrEqual(0.05 * SERIES * MEASURED_MINUTES);
  }, 120_000);
});
