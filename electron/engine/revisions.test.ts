/**
 * Revisions: the simulator changes a candle after it closed (and after the tail stored it); the
 * engine's one re-read after the settle delay finds the change, stores the new version and records
 * it as an event with both versions. Candles are re-read once, in batches.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../test-support/engine-rig.js';
import { truthCandles } from '../test-support/truth.js';
import { liveEdge } from './series-planner.js';
import { nextRereadAt, planReread } from './revisions.js';
import { qualityReports } from '../quality/quality-report.js';
import { Store } from '../store/store.js';
import { tempDbPath } from '../test-support/temp-db.js';
import type { Candle } from '../../shared/domain.js';

const START = Date.parse('2024-03-10T12:00:00Z');
const M = 60_000;
const SETTLE = { settleMs: 5 * M, batchMs: 5 * M, horizonMs: 6 * 3_600_000 };
let rig: EngineRig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function revise(r: EngineRig, symbol: string, stored: Candle): Promise<Candle> {
  const close = Math.round(stored.close * 1.002 * 100) / 100;
  const res = await fetch(`${r.sim.url}/_sim/revise`, {
    method: 'POST',
    body: JSON.stringify({ symbol, openTime: stored.ts, close, high: Math.max(stored.high, close), volume: 123.456 }),
  });
  expect(res.status).toBe(200);
  return { ...stored, close, high: Math.max(stored.high, close), volume: 123.456 };
}

/** Klines requests whose [startTime, endTime] covers `ts`. */
const requestsCovering = (r: EngineRig, ts: number): number =>
  r.sim.log
    .since()
    .filter((e) => e.path.endsWith('/klines') && Number(e.query.startTime) <= ts && ts <= Number(e.query.endTime))
    .length;

describe('revisions', () => {
  it('a candle the venue changes after it closed is re-read once after the settle delay, updated, and recorded with both versions', async () => {
    rig = await engineRig(START, {}, { revision: SETTLE });
    const keepFrom = START - 30 * M;
    const series = rig.store.series.ensure({ source: 'binance', symbol: 'ETHUSDT', timeframe: '1m' }, keepFrom, START);
    await rig.engine.start();
    await rig.run(3 * M);
    const edge = liveEdge(series, rig.clock.now(), rig.engine.config.tail);
    const before = rig.store.candles.range(series.id, edge - M, edge)[0]!;
    expect(before.ts).toBe(edge - M);
    const after = await revise(rig, 'ETHUSDT', before);
    // A candle from the history (stored long after it closed) changes too: it is settled, never re-read.
    const old = rig.store.candles.range(series.id, keepFrom, keepFrom + M)[0]!;
    await revise(rig, 'ETHUSDT', old);
    expect(rig.store.candles.range(series.id, before.ts, before.ts + M)).toEqual([before]);

    await rig.run(12 * M);
    expect(rig.store.candles.range(series.id, before.ts, before.ts + M)).toEqual([after]);
    const events = rig.store.events.list({ kinds: ['revision'] });
    expect(events.map((e) => e.data)).toEqual([{ ts: before.ts, before, after }]);
    expect(events[0]!.message).toMatch(
      /^binance revised ETHUSDT 1m at .* after it closed: high .* -> .*, close .* -> .*, volume .* -> 123\.456; the new version is stored$/,
    );
    expect(rig.store.candles.range(series.id, old.ts, old.ts + M)).toEqual([old]);
    // The tail read it once, the re-read once; nothing reads it again.
    expect(requestsCovering(rig, before.ts)).toBe(2);
    await rig.run(30 * M);
    expect(requestsCovering(rig, before.ts)).toBe(2);

    // Everything else is still exactly the venue's (revisions of settled history aside).
    const now = liveEdge(series, rig.clock.now(), rig.engine.config.tail);
    const truth = truthCandles(rig.sim, 'ETHUSDT', old.ts + M, now);
    expect(rig.store.candles.range(series.id, old.ts + M, now)).toEqual(truth);
    // Re-reads come in batches (one request per settle batch, not per candle), back to back, none twice.
    const rereads = rig.sim.log
      .since()
      .filter((e) => e.path.endsWith('/klines') && e.query.limit === '5')
      .map((e) => Number(e.query.startTime));
    expect(rereads.length).toBe(9);
    expect(rereads.slice(1).map((t, i) => t - rereads[i]!)).toEqual(Array(8).fill(SETTLE.batchMs));

    const [report] = await qualityReports(rig.store, [series], rig.clock.now());
    expect(report!.revisions).toEqual({ count: 1, lastAt: events[0]!.at });
  });
});

describe('planReread: which settled candles to re-read, when', () => {
  const tail = { delayMs: 0, jitterMs: 0 };
  const T = Date.parse('2024-03-10T12:00:00Z');
  const cases: Array<
    [string, { mark: number | null; now: number; storedFrom?: number }, ReturnType<typeof planReread>, number | null]
  > = [
    ['first sight: starts at the settled edge, nothing to re-read yet', { mark: null, now: T }, null, T - 5 * M],
    ['less than a batch settled since the mark: wait', { mark: T - 5 * M, now: T + 4 * M }, null, T - 5 * M],
    ['a batch settled: re-read it', { mark: T - 5 * M, now: T + 5 * M }, { from: T - 5 * M, to: T }, T - 5 * M],
    [
      'after a long stop: only the last six hours, the rest was fetched settled',
      { mark: T - 5 * M, now: T + 24 * 60 * M },
      { from: T + 18 * 60 * M, to: T + 24 * 60 * M - 5 * M },
      T + 18 * 60 * M,
    ],
    [
      'nothing stored in the range (market closed): skipped without a request',
      { mark: T - 5 * M, now: T + 5 * M, storedFrom: T + 60 * M },
      null,
      T,
    ],
  ];
  it.each(cases)('%s', (_name, { mark, now, storedFrom }, range, markAfter) => {
    const db = tempDbPath();
    const store = Store.open(db.file);
    try {
      const series = store.series.ensure({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, T - 24 * 60 * M, T);
      const first = storedFrom ?? T - 24 * 60 * M;
      const candles = Array.from({ length: (now - first) / M }, (_, i) => ({
        ts: first + i * M,
        open: 1,
        high: 1,
        low: 1,
        close: 1,
        volume: 1,
      }));
      store.candles.upsert(
        series.id,
        candles.filter((c) => c.ts < now),
      );
      if (mark !== null) store.revisions.start(series.id, mark);
      expect(planReread(store, series, now, tail, SETTLE)).toEqual(range);
      expect(store.revisions.checkedTo(series.id)).toBe(markAfter);
    } finally {
      store.close();
      db.cleanup();
    }
  });

  it('the next re-read falls due a batch after the mark, plus the settle delay', () => {
    const db = tempDbPath();
    const store = Store.open(db.file);
    try {
      const series = store.series.ensure({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1h' }, T, T);
      expect(nextRereadAt(store, series, T, tail, SETTLE)).toBe(Infinity);
      store.revisions.start(series.id, T);
      // An hourly series re-reads one candle at a time: due when the next hour has settled.
      expect(nextRereadAt(store, series, T, tail, SETTLE)).toBe(T + 60 * M + SETTLE.settleMs);
      // Overdue (running, or held back by a failing series): the timer need not spin on it.
      expect(nextRereadAt(store, series, T + 3 * 60 * M, tail, SETTLE)).toBe(T + 3 * 60 * M + SETTLE.batchMs);
    } finally {
      store.close();
      db.cleanup();
    }
  });
});
