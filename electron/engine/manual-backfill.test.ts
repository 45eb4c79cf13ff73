/**
 * A manual backfill over stored history asks only for what is missing there, each window once: a
 * hole the ledger knows is also a gap between stored candles, and must not be fetched twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../test-support/engine-rig.js';
import { truthCandles } from '../test-support/truth.js';
import { planBackfill } from './backfill-plan.js';
import { BinanceSource } from '../sources/binance.js';
import type { Series } from '../../shared/domain.js';

const START = Date.parse('2024-03-10T12:00:00Z');
const M = 60_000;

/** An engine tailing BTCUSDT 1m, every archive file of January and February 2024 sound (the simulator's deliberate defects lifted). */
async function tailingWithArchives(): Promise<
  Pick<EngineRig, 'store' | 'engine' | 'sim'> & { rig: EngineRig; series: Series; from: number; to: number }
> {
  const rig = await engineRig(START, {}, {}, { archives: true });
  const series = rig.store.series.ensure(
    { source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' },
    START - 60 * M,
    START,
  );
  await rig.engine.start();
  await rig.run(M);
  const from = Date.UTC(2024, 0, 1);
  const to = Date.UTC(2024, 2, 1);
  for (const d of rig.sim.archive.defects('BTCUSDT', '1m', from, to)) rig.sim.archive.force(d.path, null);
  return { rig, store: rig.store, engine: rig.engine, sim: rig.sim, series, from, to };
}

async function untilDone(rig: EngineRig, jobId: string): Promise<void> {
  for (let i = 0; i < 30 && rig.engine.jobList().find((j) => j.id === jobId)?.state !== 'done'; i++) await rig.run(M);
}

describe('manual backfill', () => {
  let rig: EngineRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('fetches a known hole and an unrecorded gap in stored history once each, and nothing stored', async () => {
    rig = await engineRig(START);
    const { store, engine, sim } = rig;
    const from = START - 3 * 60 * M;
    const series = store.series.ensure({ source: 'binance', symbol: 'ETHUSDT', timeframe: '1m' }, from, START);
    await engine.start();
    await rig.run(M);
    const to = START - 60 * M;
    expect(store.candles.count(series.id, from, to)).toBe(120);

    // Two runs of candles lost: one the ledger knows (settled: confirmed empty), one it does not.
    const known = { from: from + 20 * M, to: from + 50 * M };
    const unknown = { from: from + 80 * M, to: from + 90 * M };
    for (const r of [known, unknown])
      store.db.prepare('DELETE FROM candles WHERE series_id = ? AND ts >= ? AND ts < ?').run(series.id, r.from, r.to);
    store.candles.forgetTotal(series.id);
    store.holes.replace(
      series.id,
      [],
      [
        {
          ...known,
          state: 'confirmed_empty',
          cause: 'source_gap',
          attempts: 2,
          nextAttemptTs: null,
          lastError: null,
          looks: 2,
          lookedAt: START,
          settledAt: START,
        },
      ],
      START,
    );

    // The plan the dashboard shows first is what the job then sends.
    const plan = planBackfill(
      store,
      new BinanceSource({ hosts: [`${sim.url}/binance`], clock: rig.clock, network: rig.network }),
      rig.network,
      rig.clock,
      series,
      from,
      to,
    );
    expect(plan).toMatchObject({ requests: 2, candlesMissing: 40 });
    const before = sim.log.since().length;
    const job = engine.startBackfill(series.id, from, to);
    expect(job.windowsTotal).toBe(2);
    await rig.run(M);
    const klines = sim.log
      .since()
      .slice(before)
      .filter((e) => e.path.endsWith('/api/v3/klines') && Number(e.query.startTime) < to);
    expect(klines.map((e) => Number(e.query.startTime)).sort()).toEqual([known.from, unknown.from]);
    expect(store.candles.range(series.id, from, to)).toEqual(truthCandles(sim, 'ETHUSDT', from, to));
  });

  it('queued while the engine is stopped, runs once it starts', async () => {
    rig = await engineRig(START);
    const { store, engine, sim } = rig;
    const from = START - 3 * 60 * M;
    const to = START - 60 * M;
    const series = store.series.ensure({ source: 'binance', symbol: 'ETHUSDT', timeframe: '1m' }, from, START);
    const job = engine.startBackfill(series.id, from, to);
    await engine.start();
    await rig.run(M);
    expect(engine.jobList().find((j) => j.id === job.id)?.state).toBe('done');
    expect(store.candles.range(series.id, from, to)).toEqual(truthCandles(sim, 'ETHUSDT', from, to));
  });

  it("that creates its series asks for no window twice: what the series' own history job stored is skipped", async () => {
    rig = await engineRig(START);
    const { store, engine, sim } = rig;
    await engine.start();
    const from = START - 2 * 24 * 60 * M;
    // As the dashboard's "start backfill" does for a new instrument: the series, then the manual job.
    const series = store.series.ensure({ source: 'binance', symbol: 'ETHUSDT', timeframe: '1m' }, from, START);
    engine.seriesAdded(series.id);
    const job = engine.startBackfill(series.id, from, START);
    await rig.run(M);

    const starts = sim.log
      .since()
      .filter((e) => e.path.endsWith('/api/v3/klines'))
      .map((e) => Number(e.query.startTime));
    expect(starts.length).toBeGreaterThanOrEqual(3);
    expect(new Set(starts).size).toBe(starts.length);
    expect(engine.jobList().find((j) => j.id === job.id)).toMatchObject({
      state: 'done',
      windowsDone: job.windowsTotal,
    });
    const edge = store.candles.lastBefore(series.id, Infinity)! + M;
    expect(store.candles.range(series.id, from, edge)).toEqual(truthCandles(sim, 'ETHUSDT', from, edge));
  });

  it('takes what Binance archives hold from them, as its plan says, and only the rest over the API', async () => {
    const t = await tailingWithArchives();
    rig = t.rig;
    const { store, engine, sim, series, from, to } = t;

    const before = sim.log.since().length;
    const job = engine.startBackfill(series.id, from, to);
    await untilDone(rig, job.id);

    expect(engine.jobList().find((j) => j.id === job.id)).toMatchObject({ state: 'done' });
    const log = sim.log.since().slice(before);
    expect(log.filter((e) => e.path.endsWith('.zip')).map((e) => e.path.split('/').pop())).toEqual(
      expect.arrayContaining(['BTCUSDT-1m-2024-01.zip', 'BTCUSDT-1m-2024-02.zip']),
    );
    // 87 windows over the API without archives; with them, second looks at maintenance holes only.
    const klines = log.filter((e) => e.path.endsWith('/api/v3/klines') && Number(e.query.startTime) < to);
    expect(klines.length).toBeLessThan(20);
    expect(store.candles.range(series.id, from, to)).toEqual(truthCandles(sim, 'BTCUSDT', from, to));
  });
});

describe('pausing an archive import', () => {
  let rig: EngineRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  const zips = (r: EngineRig, since: number): string[] =>
    r.sim.log
      .since()
      .slice(since)
      .filter((e) => e.path.endsWith('.zip'))
      .map((e) => e.path.split('/').pop()!);

  it('with its manual backfill: no file is downloaded or stored until the job is resumed, then it ends as the truth', async () => {
    const t = await tailingWithArchives();
    rig = t.rig;
    const { store, engine, sim, series, from, to } = t;

    const before = sim.log.since().length;
    const job = engine.startBackfill(series.id, from, to);
    engine.pauseJob(job.id);
    await rig.run(10 * M);
    expect(zips(rig, before)).toEqual([]);
    expect(store.candles.count(series.id, from, to)).toBe(0);
    expect(engine.jobList().find((j) => j.id === job.id)).toMatchObject({ state: 'paused', windowsDone: 0 });

    engine.resumeJob(job.id);
    await untilDone(rig, job.id);
    expect(zips(rig, before)).toEqual(expect.arrayContaining(['BTCUSDT-1m-2024-01.zip', 'BTCUSDT-1m-2024-02.zip']));
    expect(store.candles.range(series.id, from, to)).toEqual(truthCandles(sim, 'BTCUSDT', from, to));
  });

  // The series' own history import, paused with the whole engine or with the series itself.
  it.each(['engine', 'series'] as const)(
    'with the %s: a new series imports nothing while paused, and its history once resumed',
    async (what) => {
      rig = await engineRig(START, {}, {}, { archives: true });
      const { store, engine, sim } = rig;
      const from = Date.UTC(2024, 0, 1);
      for (const d of sim.archive.defects('BTCUSDT', '1m', from, START)) sim.archive.force(d.path, null);
      await engine.start();
      if (what === 'engine') engine.pause();
      const series = store.series.ensure({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, from, START);
      engine.seriesAdded(series.id);
      if (what === 'series') engine.setSeriesEnabled(series.id, false);
      await rig.run(10 * M);
      expect(zips(rig, 0)).toEqual([]);
      // Nor its REST share (the cross-check, files that fell back); the live tail is not part of it.
      const history = START - 6 * 60 * M;
      expect(
        sim.log.since().filter((e) => e.path.endsWith('/api/v3/klines') && Number(e.query.startTime) < history),
      ).toEqual([]);
      expect(store.candles.count(series.id, from, history)).toBe(0);

      if (what === 'engine') engine.resume();
      else engine.setSeriesEnabled(series.id, true);
      const to = Date.UTC(2024, 2, 1);
      for (let i = 0; i < 30 && store.candles.count(series.id, from, to) < (to - from) / M - 1_000; i++)
        await rig.run(M);
      expect(zips(rig, 0)).toEqual(expect.arrayContaining(['BTCUSDT-1m-2024-01.zip', 'BTCUSDT-1m-2024-02.zip']));
      expect(store.candles.range(series.id, from, to)).toEqual(truthCandles(sim, 'BTCUSDT', from, to));
    },
  );
});
