/**
 * Validation end to end: the simulator spoils candles inside good answers (every rule, duplicates,
 * conflicts, rows out of order); nothing invalid is stored, every bad candle is quarantined with its
 * reason and raw row, the holes they leave are in the ledger with cause `rejected`, and the quality
 * report counts exactly that.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import type { FaultRule } from '../simulator/faults.js';
import { ManualClock } from '../net/clock.js';
import { Network } from '../net/network.js';
import { Store } from '../store/store.js';
import { BinanceSource } from '../sources/binance.js';
import { backfill } from './backfill.js';
import { DEFAULT_EVIDENCE } from './evidence.js';
import { liveEdge } from './series-planner.js';
import { tempDbPath } from '../test-support/temp-db.js';
import { truthCandles } from '../test-support/truth.js';
import { engineRig, type EngineRig } from '../test-support/engine-rig.js';
import { gapsInWindow } from './coverage.js';
import { qualityReports } from '../quality/quality-report.js';

const FROM = Date.parse('2024-03-10T00:00:00Z');
const NOW = Date.parse('2024-03-10T06:00:30Z');
const M = 60_000;
const at = (minute: number): number => FROM + minute * M;

let sim: Simulator | undefined;
let store: Store | undefined;
let cleanup: (() => void) | undefined;
let rig: EngineRig | undefined;

afterEach(async () => {
  store?.close();
  cleanup?.();
  await sim?.close();
  await rig?.close();
  sim = store = cleanup = rig = undefined;
});

describe('quarantine of invalid candles', () => {
  it('a backfill through every kind of bad row stores only valid candles and quarantines each bad one with its reason', async () => {
    const clock = new ManualClock(NOW);
    sim = await startSimulator({ seed: 5, clock });
    const db = tempDbPath();
    cleanup = db.cleanup;
    store = Store.open(db.file);
    const spoiled: Array<[number, FaultRule['invalid']]> = [
      [10, 'not_finite'],
      [20, 'high_below_max'],
      [30, 'low_above_min'],
      [40, 'low_not_positive'],
      [50, 'negative_volume'],
      [60, 'off_grid'],
      [70, 'conflicting_duplicate'],
    ];
    const rules: FaultRule[] = [
      ...spoiled.map(([minute, invalid]): FaultRule => ({ kind: 'invalid_candle', invalid, openTime: at(minute) })),
      { kind: 'invalid_candle', invalid: 'future' },
      { kind: 'invalid_candle', invalid: 'forming' },
      { kind: 'duplicate_rows', openTime: at(80) },
      { kind: 'out_of_order' },
    ];
    for (const rule of rules) sim.faults.add(rule);
    const truth = truthCandles(sim, 'BTCUSDT', FROM, at(360));
    for (const [minute] of spoiled)
      expect(
        truth.some((c) => c.ts === at(minute)),
        `minute ${minute} is published`,
      ).toBe(true);

    const source = new BinanceSource({ hosts: [`${sim.url}/binance`], clock, network: new Network(clock) });
    // Two runs, the second look at once: this test is about what is quarantined, not when a hole settles.
    const commit = { evidence: { ...DEFAULT_EVIDENCE, secondLookAfterMs: 0 } };
    const request = { key: { source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' as const }, from: FROM, to: NOW };
    await backfill({ store, source, clock, commit }, request);
    const summary = await backfill({ store, source, clock, commit }, request);
    const id = summary.seriesId;

    // Exactly the valid candles: the spoiled minutes are missing, the duplicated one is there once.
    const badSlots = new Set(spoiled.map(([minute]) => at(minute)));
    const expected = truth.filter((c) => !badSlots.has(c.ts));
    expect(store.candles.range(id, FROM, at(400))).toEqual(expected);

    const rejected = store.rejected.list(id).map((r) => [r.ts, r.reason, r.timesSeen]);
    expect(rejected).toEqual([
      [at(10), 'not_finite', 2],
      [at(20), 'high_below_max', 2],
      [at(30), 'low_above_min', 2],
      [at(40), 'low_not_positive', 2],
      [at(50), 'negative_volume', 2],
      [at(60) + 30_000, 'off_grid', 2],
      [at(70), 'conflicting_duplicate', 2],
      [at(70), 'conflicting_duplicate', 2],
      [at(360), 'forming', expect.any(Number)],
      [at(362), 'future', expect.any(Number)],
    ]);
    // The raw form is the row as the wire carried it.
    const raw = JSON.parse(store.rejected.list(id).find((r) => r.reason === 'not_finite')!.raw) as unknown[];
    expect(raw).toHaveLength(12);
    expect(raw.slice(0, 5)).toEqual([at(10), expect.any(String), expect.any(String), expect.any(String), 'NaN']);
    expect(store.rejected.list(id).find((r) => r.reason === 'high_below_max')!.detail).toMatch(
      /^high [\d.]+ < max\(open [\d.]+, close [\d.]+\)$/,
    );

    // Each hole a bad candle leaves is in the ledger as `rejected` (confirmed after a second look), beside the venue's true holes.
    const trueHoles = gapsInWindow(
      '1m',
      { from: FROM, to: at(360) },
      truth.map((c) => c.ts),
    ).filter((g) => g.to < at(360));
    const ledger = store.holes.list(id).map((h) => ({ from: h.fromTs, to: h.toTs, state: h.state, cause: h.cause }));
    expect(ledger).toEqual(
      [
        ...spoiled.map(([minute]) => ({
          from: at(minute),
          to: at(minute + 1),
          state: 'confirmed_empty',
          cause: 'rejected',
        })),
        ...trueHoles.map((g) => ({ ...g, state: 'confirmed_empty', cause: 'source_gap' })),
      ].sort((a, b) => a.from - b.from),
    );

    const [report] = await qualityReports(store, [store.series.get(id)!], NOW);
    expect(Object.fromEntries(report!.rejected.map((r) => [r.reason, r.candles]))).toEqual({
      conflicting_duplicate: 2,
      forming: 1,
      future: 1,
      high_below_max: 1,
      low_above_min: 1,
      low_not_positive: 1,
      negative_volume: 1,
      not_finite: 1,
      off_grid: 1,
    });
    const trueMissing = trueHoles.reduce((n, g) => n + (g.to - g.from) / M, 0);
    expect(report!.completeness).toEqual({
      stored: expected.length,
      expected: 360 - trueMissing,
      ratio: expected.length / (360 - trueMissing),
      marketClosed: 0,
      confirmedEmpty: trueMissing,
    });
    expect(report!.holes.find((h) => h.cause === 'rejected')).toEqual({
      cause: 'rejected',
      state: 'confirmed_empty',
      holes: 7,
      candles: 7,
    });
  });

  it('the live tail quarantines a bad candle, records its hole, moves on, and takes the good version once the venue sends it', async () => {
    const start = Date.parse('2024-03-10T12:00:00Z');
    rig = await engineRig(start);
    const series = rig.store.series.ensure(
      { source: 'binance', symbol: 'ETHUSDT', timeframe: '1m' },
      start - 30 * M,
      start,
    );
    await rig.engine.start();
    await rig.run(2 * M);
    // The next closing candle comes with a high below its close, every time it is asked for (until the venue fixes it).
    const bad = liveEdge(series, rig.clock.now(), rig.engine.config.tail);
    const rule = rig.sim.faults.add({ kind: 'invalid_candle', invalid: 'high_below_max', openTime: bad });
    await rig.run(5 * M);
    expect(rig.store.candles.count(series.id, bad, bad + M)).toBe(0);
    expect(rig.store.candles.lastBefore(series.id, Infinity)).toBeGreaterThan(bad);
    expect(rig.store.rejected.list(series.id).map((r) => [r.ts, r.reason])).toEqual([[bad, 'high_below_max']]);
    expect(rig.store.holes.list(series.id).map((h) => [h.fromTs, h.toTs, h.cause])).toEqual([
      [bad, bad + M, 'rejected'],
    ]);

    // The venue fixes it; the next sweep's repair of the hole (forced here) stores the good candle.
    expect(rule).toBeGreaterThan(0);
    rig.sim.faults.clear();
    rig.engine.startBackfill(series.id, bad, bad + M);
    await rig.run(M);
    const edge = liveEdge(series, rig.clock.now(), rig.engine.config.tail);
    expect(rig.store.candles.range(series.id, start - 30 * M, edge)).toEqual(
      truthCandles(rig.sim, 'ETHUSDT', start - 30 * M, edge),
    );
    expect(rig.store.holes.list(series.id)).toEqual([]);
  });
});
