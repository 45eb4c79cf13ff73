/**
 * One soak: the simulator and the engine in this process on a manual clock (world.ts), driven through
 * the simulated days with the scripted events of schedule.ts on top of a fault profile (driver.ts);
 * then the faults are lifted, the engine settles, and what it stored is measured against what the
 * simulator publishes (measure.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Store } from '../store/store.js';
import { DAY_MS, HOUR_MS } from '../../shared/timeframe.js';
import { createWorld, SOAK_HOSTS } from './world.js';
import { soakSchedule } from './schedule.js';
import { SoakMetrics } from './metrics.js';
import { soakSeries } from './series-plan.js';
import { watchLedger } from './ledger-watch.js';
import { SOAK_STEP_MS, SoakDriver } from './driver.js';
import { measureSoak, type SoakResult } from './measure.js';

export type { SoakResult } from './measure.js';

/**
 * The simulated moment a soak starts: a Tuesday, so the history of an equity series (from Sunday noon)
 * holds Monday's session. A series whose whole history is market-closed makes the engine re-ask it
 * back to back until the first session opens (the tail starts at the keep-from time while nothing is
 * stored, settled ranges or not): a real cost, but not what a soak of everything else should spend on.
 */
export const SOAK_START = Date.parse('2024-05-07T00:00:00Z');
/** History each series keeps from before the start, fetched by the backfills. */
export const SOAK_HISTORY_MS = 36 * HOUR_MS;
const PROGRESS_MS = 6 * HOUR_MS;

export interface SoakOptions {
  days: number;
  faults: string;
  seriesCount: number;
  seed: number;
  /** A line every 6 simulated hours, for a long run's progress. */
  progress?: (message: string) => void;
  /** Stops the run between two steps (it then rejects, after closing everything). */
  signal?: AbortSignal;
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const wallStart = performance.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candlekeep-soak-'));
  const dbFile = path.join(dir, 'soak.db');
  const keys = soakSeries(options.seriesCount);
  const schedule = soakSchedule(options.seed, options.days, SOAK_HOSTS);
  const metrics = new SoakMetrics();
  const setup = Store.open(dbFile);
  for (const key of keys) setup.series.ensure(key, SOAK_START - SOAK_HISTORY_MS, SOAK_START - SOAK_HISTORY_MS);
  setup.close();

  const world = await createWorld({
    seed: options.seed,
    start: SOAK_START,
    faults: options.faults,
    dbFile,
    listeners: metrics.listeners,
    wrapSource: (source) => metrics.wrapSource(source),
    storeOpened: watchLedger,
    storeClosing: (store) => metrics.readLedger(store),
  });
  try {
    metrics.start();
    const driver = new SoakDriver(world, metrics, schedule);
    driver.apply(0);
    await world.startEngine();
    const total = options.days * DAY_MS;
    for (let t = 0; t < total; t += SOAK_STEP_MS) {
      if (options.signal?.aborted) throw new Error(`soak stopped after ${Math.floor(t / HOUR_MS)} simulated hours`);
      if (t > 0) await driver.applyAsync(t);
      await driver.step();
      const done = t + SOAK_STEP_MS;
      if (done === DAY_MS) metrics.markDay1();
      if (done % PROGRESS_MS === 0) {
        const rss = Math.round(process.memoryUsage().rss / 2 ** 20);
        options.progress?.(
          `${done / HOUR_MS} of ${total / HOUR_MS} simulated hours: ${metrics.requests} requests, RSS ${rss} MB (${Math.round((performance.now() - wallStart) / 1000)} s)`,
        );
      }
    }
    const settleMs = await driver.settle();
    metrics.finish();
    return measureSoak(world, metrics, driver, {
      days: options.days,
      faults: options.faults,
      seed: options.seed,
      seriesCount: keys.length,
      settleMs,
      wallMs: performance.now() - wallStart,
    });
  } finally {
    await world.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
