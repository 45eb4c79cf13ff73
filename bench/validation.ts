/**
 * What validation costs (the goal: less than 10% of ingest throughput): the same backfill end to end
 * (HTTP from the simulator in its own process -> parse -> validate -> SQLite), with validation and
 * with it bypassed, alternated over several rounds, the best of each (on a shared machine the fastest
 * round is the one least disturbed), as a ratio. A second line isolates validation's own CPU time over
 * the same candles against the whole ingest's time, which other load on the machine cannot blur.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Store } from '../electron/store/store.js';
import { BinanceSource } from '../electron/sources/binance.js';
import { Network } from '../electron/net/network.js';
import { backfill } from '../electron/engine/backfill.js';
import { systemClock } from '../electron/net/clock.js';
import { validateCandles } from '../electron/engine/validate.js';
import { startSimProcess } from './sim-process.js';
import { compare, type Comparison } from './report.js';

const FROM = Date.parse('2023-01-01T00:00:00Z');
const DAYS = 60;
const TO = FROM + DAYS * 86_400_000;
const ROUNDS = 10;

interface Run {
  candles: number;
  seconds: number;
}

async function ingest(url: string, file: string, validate: boolean): Promise<Run> {
  const store = Store.open(file);
  const network = new Network(systemClock);
  const source = new BinanceSource({ hosts: [`${url}/binance`], clock: systemClock, network });
  const started = performance.now();
  const summary = await backfill(
    { store, source, clock: systemClock, commit: { validate } },
    { key: { source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, from: FROM, to: TO },
  );
  const seconds = (performance.now() - started) / 1000;
  network.stop();
  store.close();
  return { candles: summary.candlesStored, seconds };
}

const best = (xs: number[]): number => Math.max(...xs);

/** Seconds validateCandles takes over the stored candles, in the pages a backfill commits. */
function validationSeconds(file: string): { candles: number; seconds: number } {
  const store = Store.open(file);
  const series = store.series.list()[0]!;
  // In the shape the source hands them over (plain literals), not SQLite's row objects.
  const candles = store.candles
    .range(series.id, FROM, TO)
    .map((c) => ({ ts: c.ts, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume }));
  store.close();
  const pages = Array.from({ length: Math.ceil(candles.length / 1000) }, (_, i) =>
    candles.slice(i * 1000, (i + 1) * 1000),
  );
  const now = Date.now();
  let best = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    for (const page of pages)
      validateCandles(page, {
        timeframe: '1m',
        window: { from: page[0]!.ts, to: page[page.length - 1]!.ts + 60_000 },
        now,
        hasVolume: true,
      });
    best = Math.min(best, (performance.now() - started) / 1000);
  }
  return { candles: candles.length, seconds: best };
}

export async function benchValidation(): Promise<Comparison[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candlekeep-bench-validation-'));
  const sim = await startSimProcess(['--seed', '1']);
  try {
    // Warm the simulator's caches and both code paths.
    await ingest(sim.url, path.join(dir, 'warm-on.db'), true);
    await ingest(sim.url, path.join(dir, 'warm-off.db'), false);
    const on: number[] = [];
    const off: number[] = [];
    let candles = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Which goes first alternates too, so neither inherits the other's garbage every time.
      const order = round % 2 === 0 ? [false, true] : [true, false];
      const runs = new Map<boolean, Run>();
      for (const validate of order)
        runs.set(validate, await ingest(sim.url, path.join(dir, `${validate ? 'on' : 'off'}-${round}.db`), validate));
      const validated = runs.get(true)!;
      const bypassed = runs.get(false)!;
      if (validated.candles !== bypassed.candles)
        throw new Error(
          `validated ingest stored ${validated.candles} candles, unvalidated ${bypassed.candles}: not the same data`,
        );
      candles = validated.candles;
      on.push(validated.candles / validated.seconds);
      off.push(bypassed.candles / bypassed.seconds);
    }
    const own = validationSeconds(path.join(dir, 'on-0.db'));
    const ingestSeconds = candles / best(on);
    const note = `${candles.toLocaleString('en-US')} candles of 1m BTCUSDT, best of ${ROUNDS} alternated rounds`;
    return [
      compare(
        'ingest with validation vs bypassed',
        { unit: 'candles/s', value: best(on) },
        { name: 'the same ingest, validation bypassed', unit: 'candles/s', value: best(off) },
        0.9,
        true,
        note,
      ),
      compare(
        'validated ingest vs its time less validation CPU',
        { unit: 'candles/s', value: candles / ingestSeconds },
        {
          name: 'the same without the time validateCandles takes',
          unit: 'candles/s',
          value: candles / (ingestSeconds - own.seconds),
        },
        0.9,
        true,
        `validateCandles alone: ${(own.seconds * 1000).toFixed(1)} ms for ${own.candles.toLocaleString('en-US')} candles (${((own.seconds / own.candles) * 1e9).toFixed(0)} ns each)`,
      ),
    ];
  } finally {
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
