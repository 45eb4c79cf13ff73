/**
 * `candlekeep serve` as users run it (the built CLI in out/cli, its worker file beside it): with
 * `--read-workers 2` the candle API, exports and charts are answered by worker threads, with 0 by the
 * main thread, and the answers are the same; /metrics says which.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { Store } from '../store/store.js';
import { tempDir } from '../test-support/temp-db.js';

const BIN = path.resolve('electron/cli/bin.js');
const T0 = Date.UTC(2024, 0, 1);

function serve(db: string, home: string, workers: string): Promise<{ child: ChildProcess; url: string }> {
  const env = { ...process.env, CANDLEKEEP_HOME: home, CANDLEKEEP_BINANCE_URL: 'http://127.0.0.1:9' };
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', db, '--read-workers', workers], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /serving (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${err}`)));
  });
}

const stopped = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });

async function readsAt(url: string): Promise<{ worker: number; main: number; threads: number }> {
  const families = parsePrometheusTextFormat(await (await fetch(`${url}/metrics`)).text());
  // The main loop's delays are there for scrapers to compare two scrapes (bench/serve.ts does).
  const delay = families.find((f) => f.name === 'candlekeep_event_loop_delay_seconds')!;
  expect(delay.type).toBe('HISTOGRAM');
  const reads = families.find((f) => f.name === 'candlekeep_reads_total')!.metrics;
  const by = (thread: string): number => Number(reads.find((m) => m.labels?.thread === thread)!.value);
  return {
    worker: by('worker'),
    main: by('main'),
    threads: Number(families.find((f) => f.name === 'candlekeep_read_workers')!.metrics[0]!.value),
  };
}

describe('serve --read-workers', () => {
  const dir = tempDir();
  const db = path.join(dir.dir, 'reads.db');
  let seriesId = 0;

  beforeAll(() => {
    const store = Store.open(db);
    const series = store.series.ensure({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, T0, T0);
    seriesId = series.id;
    // Paused: this is about reading, and no engine fetch may change the answers between the two runs.
    store.series.setEnabled(series.id, false);
    store.candles.upsert(
      series.id,
      Array.from({ length: 3_000 }, (_, i) => ({
        ts: T0 + i * 60_000,
        open: 100 + i / 7,
        high: 101 + i / 7,
        low: 99 + i / 7,
        close: 100.5 + i / 7,
        volume: i % 5 ? i / 3 : null,
      })),
    );
    store.close();
  });
  afterAll(() => dir.cleanup());

  async function answers(
    workers: string,
  ): Promise<{ bodies: string[]; reads: { worker: number; main: number; threads: number } }> {
    const { child, url } = await serve(db, dir.dir, workers);
    try {
      const bodies: string[] = [];
      for (const p of [
        `/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${T0}&limit=1000`,
        `/api/v3/klines?symbol=ETHUSDT&interval=1m`,
        `/export?seriesId=${seriesId}&from=${T0}&to=${T0 + 3_000 * 60_000}&format=csv`,
      ]) {
        const res = await fetch(url + p);
        bodies.push(`${res.status} ${await res.text()}`);
      }
      const res = await fetch(`${url}/api/candles:buckets`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ seriesId, from: T0, to: T0 + 3_000 * 60_000, maxBuckets: 40 }),
      });
      bodies.push(`${res.status} ${await res.text()}`);
      return { bodies, reads: await readsAt(url) };
    } finally {
      expect(await stopped(child)).toBe(0);
    }
  }

  it('answers from worker threads, the same as from the main thread', async () => {
    const workers = await answers('2');
    const loop = await answers('0');
    expect(workers.reads).toEqual({ worker: 4, main: 0, threads: 2 });
    expect(loop.reads).toEqual({ worker: 0, main: 4, threads: 0 });
    expect(workers.bodies[0]).toMatch(/^200 \[\[1704067200000,/);
    expect(workers.bodies[1]).toBe('400 {"code":-1121,"msg":"Invalid symbol."}');
    expect(workers.bodies).toEqual(loop.bodies);
  });

  it('refuses a thread count that is not one, in one line', () => {
    const r = spawnSync(process.execPath, [BIN, 'serve', '--read-workers', 'many', '--db', db], {
      encoding: 'utf8',
      env: { ...process.env, CANDLEKEEP_HOME: dir.dir },
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("--read-workers 'many' is not a thread count");
  });
});
