/**
 * The engine's hot spots: the full gap sweep over 10 million stored candles against reading the same
 * rows into JS and scanning them, and the event loop's delay (p99, perf_hooks.monitorEventLoopDelay)
 * during that sweep and during a large backfill — the engine shares its process with the desktop
 * window, so it must never block it for long.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Store } from '../electron/store/store.js';
import { sweepSeries } from '../electron/engine/gap-sweep.js';
import { BinanceSource } from '../electron/sources/binance.js';
import { backfill } from '../electron/engine/backfill.js';
import { systemClock } from '../electron/net/clock.js';
import { Network } from '../electron/net/network.js';
import { startSimProcess } from './sim-process.js';
import { compare, type Comparison } from './report.js';

const ROWS = 10_000_000;
const T0 = Date.parse('2005-01-01T00:00:00Z');
const PUNCHED = 40;

/** A series of ROWS 1m candles with PUNCHED holes, written straight into SQLite. */
function buildStore(file: string): { store: Store; seriesId: number } {
  const store = Store.open(file);
  const series = store.series.ensure({ source: 'binance', symbol: 'BENCHUSDT', timeframe: '1m' }, T0, Date.now());
  const holes = new Set(Array.from({ length: PUNCHED }, (_, i) => Math.floor(((i + 0.5) / PUNCHED) * ROWS)));
  const insert = store.db.prepare(
    'INSERT INTO candles (series_id, ts, open, high, low, close, volume) VALUES (?, ?, 100, 101, 99, 100.5, 1)',
  );
  for (let start = 0; start < ROWS; start += 500_000) {
    store.transaction(() => {
      for (let i = start; i < Math.min(ROWS, start + 500_000); i++)
        if (!holes.has(i)) insert.run(series.id, T0 + i * 60_000);
    });
  }
  return { store, seriesId: series.id };
}

function p99(histogram: ReturnType<typeof monitorEventLoopDelay>): number {
  return histogram.percentile(99) / 1e6;
}

async function withLoopDelay<T>(fn: () => Promise<T>): Promise<{ result: T; p99Ms: number; seconds: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const started = performance.now();
  const result = await fn();
  const seconds = (performance.now() - started) / 1000;
  histogram.disable();
  return { result, p99Ms: p99(histogram), seconds };
}

export async function benchEngine(): Promise<Comparison[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candlekeep-sweep-'));
  try {
    const { store, seriesId } = buildStore(path.join(dir, 'sweep.db'));
    const series = store.series.get(seriesId)!;

    const ours = await withLoopDelay(() => sweepSeries(store, series));
    if (ours.result.length !== PUNCHED)
      throw new Error(`the sweep found ${ours.result.length} holes, expected ${PUNCHED}`);

    const jsStarted = performance.now();
    let previous: number | null = null;
    let jsGaps = 0;
    for (const [ts] of store.db
      .prepare('SELECT ts FROM candles WHERE series_id = ? ORDER BY ts')
      .raw()
      .iterate(seriesId) as Iterable<[number]>) {
      if (previous !== null && ts - previous > 60_000) jsGaps++;
      previous = ts;
    }
    const jsSeconds = (performance.now() - jsStarted) / 1000;
    if (jsGaps !== PUNCHED) throw new Error(`the JS scan found ${jsGaps} holes, expected ${PUNCHED}`);
    store.close();

    // The largest backfill we ask of one process: a year of 1m candles from the simulator.
    const sim = await startSimProcess(['--seed', '2']);
    const backfillStore = Store.open(path.join(dir, 'backfill.db'), { backgroundCheckpoints: true });
    const network = new Network(systemClock);
    const from = Date.parse('2023-01-01T00:00:00Z');
    const big = await withLoopDelay(() =>
      backfill(
        {
          store: backfillStore,
          clock: systemClock,
          source: new BinanceSource({ hosts: [`${sim.url}/binance`], clock: systemClock, network }),
        },
        { key: { source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, from, to: from + 365 * 86_400_000 },
      ),
    );
    network.stop();
    backfillStore.close();
    await sim.stop();

    const rows = `${(ROWS / 1e6).toFixed(0)}M candles, ${PUNCHED} holes`;
    return [
      compare(
        'gap sweep',
        { unit: 's', value: ours.seconds },
        { name: 'read rows into JS and scan', unit: 's', value: jsSeconds },
        10,
        false,
        rows,
      ),
      compare(
        'event-loop delay p99 during the sweep',
        { unit: 'ms', value: ours.p99Ms },
        { name: 'limit', unit: 'ms', value: 50 },
        1,
        false,
        rows,
      ),
      compare(
        'event-loop delay p99 during a 1-year 1m backfill',
        { unit: 'ms', value: big.p99Ms },
        { name: 'limit', unit: 'ms', value: 50 },
        1,
        false,
        `${big.result.candlesStored.toLocaleString('en-US')} candles in ${big.seconds.toFixed(1)} s`,
      ),
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
