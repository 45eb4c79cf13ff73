/**
 * The read workers answer exactly what the main thread would: klines (and their errors), exports in
 * every format, chart buckets and gap maps, value by value, on a database an engine filled from the
 * simulator. A candle the engine commits is in the next worker read; a worker that dies is replaced
 * and what it held fails with a one-line error; workers that cannot start leave the reads to the main
 * thread; closing ends every worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../test-support/engine-rig.js';
import { ReadPool } from './read-pool.js';
import { inLoopReads, type Reads } from './reads.js';
import { gapMapArgs } from './handlers/series-handlers.js';
import type { CandleSink } from '../export/candle-sink.js';
import type { Series } from '../../shared/domain.js';
import type { ApiAnswer } from './read-protocol.js';

const START = Date.UTC(2024, 2, 1, 12);
const HOUR = 3_600_000;
function text(a: ApiAnswer, keep = false): { status: number; body: string } {
  const body = typeof a.body === 'string' ? a.body : Buffer.from(a.body).toString('utf8');
  if (!keep) a.release?.();
  return { status: a.status, body };
}

async function exported(
  reads: Reads,
  series: Series,
  format: 'csv' | 'json' | 'parquet',
  from: number,
  to: number,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink: CandleSink = { write: async (chunk) => void chunks.push(Buffer.from(chunk)) };
  await reads.exportTo({ series, from, to, format }, sink);
  return Buffer.concat(chunks);
}

describe('read workers', () => {
  let rig: EngineRig;
  let pool: ReadPool;
  let loop: Reads;
  let btc: Series;

  beforeAll(async () => {
    rig = await engineRig(START, { faults: 'flaky' });
    btc = rig.store.series.ensure(
      { source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' },
      START - 2 * 24 * HOUR,
      START,
    );
    rig.store.series.ensure({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1h' }, START - 10 * 24 * HOUR, START);
    await rig.engine.start();
    await rig.run(10 * 60_000);
    loop = inLoopReads(rig.store);
    pool = new ReadPool({ file: rig.dbFile, size: 2, fallback: loop });
  });
  afterAll(async () => {
    await pool.close();
    await rig.close();
  });

  it('answer klines, uiKlines and their errors as the main thread does, byte for byte', async () => {
    const now = rig.clock.now();
    const queries = [
      ['/api/v3/klines', 'symbol=BTCUSDT&interval=1m&limit=1000'],
      ['/api/v3/klines', `symbol=BTCUSDT&interval=1m&startTime=${START - 30 * HOUR}&limit=777`],
      ['/api/v3/uiKlines', `symbol=BTCUSDT&interval=1m&startTime=${START - 40 * HOUR}&endTime=${START - 39 * HOUR}`],
      ['/api/v3/klines', `symbol=BTCUSDT&interval=1h&endTime=${START - 5 * HOUR}&limit=3`],
      ['/api/v3/klines', 'symbol=BTCUSDT&interval=5m'],
      ['/api/v3/klines', 'symbol=DOGEUSDT&interval=1m'],
      ['/api/v3/klines', 'interval=1m'],
      ['/api/v3/klines', 'symbol=BTCUSDT&interval=1m&limit=-4'],
      ['/api/v3/exchangeInfo', ''],
      ['/api/v3/time', ''],
      ['/api/v3/nothing', ''],
    ] as const;
    for (const [path, query] of queries) {
      const ours = text(await pool.api('GET', path, query, now));
      expect(ours, `${path}?${query}`).toEqual(text(await loop.api('GET', path, query, now)));
    }
    // Answers kept unreleased fill every slot of the worker's shared arena; the rest come as buffers of their own, the same.
    const query = 'symbol=BTCUSDT&interval=1m&limit=1000';
    const kept = await Promise.all(Array.from({ length: 80 }, () => pool.api('GET', '/api/v3/klines', query, now)));
    const expected = text(await loop.api('GET', '/api/v3/klines', query, now));
    for (const answer of kept) expect(text(answer, true)).toEqual(expected);
    expect(kept.filter((a) => a.release).length).toBeLessThan(kept.length);
    for (const answer of kept) answer.release?.();
    const newest = JSON.parse(
      text(await pool.api('GET', '/api/v3/klines', 'symbol=BTCUSDT&interval=1m&limit=1000', now)).body,
    ) as unknown[][];
    expect(newest).toHaveLength(1000);
  });

  it('export CSV, JSON and Parquet files identical to the main thread’s', async () => {
    for (const format of ['csv', 'json', 'parquet'] as const) {
      const ours = await exported(pool, btc, format, START - 2 * 24 * HOUR, START + HOUR);
      expect(ours.length, format).toBeGreaterThan(1000);
      expect(ours.equals(await exported(loop, btc, format, START - 2 * 24 * HOUR, START + HOUR)), format).toBe(true);
    }
  });

  it('compute chart buckets and gap maps equal to the main thread’s, and the same errors', async () => {
    for (const maxBuckets of [1, 7, 300, 5_000]) {
      const args = { seriesId: btc.id, from: START - 3 * 24 * HOUR, to: START + HOUR, maxBuckets };
      expect(await pool.buckets(args)).toEqual(await loop.buckets(args));
      const map = gapMapArgs({ store: rig.store, clock: rig.clock, engine: rig.engine }, args);
      expect(await pool.gapMap(map)).toEqual(await loop.gapMap(map));
    }
    const missing = { seriesId: 999, from: START, to: START + HOUR, maxBuckets: 10 };
    await expect(loop.buckets(missing)).rejects.toMatchObject({ name: 'ApiError', message: 'no series with id 999' });
    await expect(pool.buckets(missing)).rejects.toMatchObject({ name: 'ApiError', message: 'no series with id 999' });
  });

  it('see a candle the engine committed in the very next read', async () => {
    const query = 'symbol=BTCUSDT&interval=1m&limit=1';
    const before = JSON.parse(text(await pool.api('GET', '/api/v3/klines', query, rig.clock.now())).body) as number[][];
    await rig.run(3 * 60_000);
    const stored = rig.store.candles.stats(btc.id).lastTs!;
    expect(stored).toBeGreaterThan(before[0]![0]!);
    // Both workers, whichever takes it.
    for (let i = 0; i < 2; i++) {
      const after = JSON.parse(
        text(await pool.api('GET', '/api/v3/klines', query, rig.clock.now())).body,
      ) as number[][];
      expect(after[0]![0]).toBe(stored);
    }
  });

  it('replace a worker that dies, failing what it held with a one-line error', async () => {
    // An export whose sink never takes its first chunk keeps its worker busy with it.
    let taken!: () => void;
    const firstChunk = new Promise<void>((resolve) => (taken = resolve));
    const held = pool.exportTo(
      { series: btc, from: START - 2 * 24 * HOUR, to: START, format: 'csv' },
      { write: () => (taken(), new Promise<never>(() => undefined)) },
    );
    const outcome = held.then(
      () => 'finished',
      (err: Error) => err.message,
    );
    await firstChunk;
    const victims = [...pool.running()];
    await Promise.all(victims.map((w) => w.terminate()));
    expect(await outcome).toBe('the read worker stopped (exit code 1); try again');
    expect(pool.threads()).toBe(2);
    for (const victim of victims) expect(pool.running()).not.toContain(victim);
    const again = text(await pool.api('GET', '/api/v3/klines', 'symbol=BTCUSDT&interval=1m&limit=5', rig.clock.now()));
    expect(again).toEqual(
      text(await loop.api('GET', '/api/v3/klines', 'symbol=BTCUSDT&interval=1m&limit=5', rig.clock.now())),
    );
  });

  it('read on the main thread when workers cannot open the database, saying so once', async () => {
    const told: string[] = [];
    let gaveUp!: () => void;
    const givenUp = new Promise<void>((resolve) => (gaveUp = resolve));
    const broken = new ReadPool({
      file: `${rig.dbFile}.missing`,
      size: 1,
      fallback: loop,
      onTrouble: (message) => {
        told.push(message);
        if (message.startsWith('read workers cannot start')) gaveUp();
      },
    });
    await givenUp;
    expect(broken.threads()).toBe(0);
    expect(told.filter((m) => m.startsWith('read workers cannot start'))).toHaveLength(1);
    expect(told.filter((m) => m.startsWith('a read worker could not open the database: no database at'))).toHaveLength(
      3,
    );
    const query = 'symbol=BTCUSDT&interval=1m&limit=3';
    expect(text(await broken.api('GET', '/api/v3/klines', query, rig.clock.now()))).toEqual(
      text(await loop.api('GET', '/api/v3/klines', query, rig.clock.now())),
    );
    expect(broken.served().worker).toBe(0);
    await broken.close();
  });

  it('end every worker on close, and then read on the main thread', async () => {
    const extra = new ReadPool({ file: rig.dbFile, size: 2, fallback: loop });
    const workers = [...extra.running()];
    const exits = workers.map((w) => new Promise<number>((resolve) => w.once('exit', resolve)));
    await extra.api('GET', '/api/v3/ping', '', rig.clock.now());
    await extra.close();
    expect(await Promise.all(exits)).toHaveLength(2);
    expect(extra.threads()).toBe(0);
    const servedBefore = extra.served();
    await extra.api('GET', '/api/v3/ping', '', rig.clock.now());
    expect(extra.served().worker).toBe(servedBefore.worker);
  });
});
