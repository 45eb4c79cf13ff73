/**
 * Readers never stall the engine: `candlekeep serve` (the built CLI) over a year of stored 1m candles,
 * its engine live-tailing ten 1m series from the simulator (another process), while 50 clients read
 * GET /api/v3/klines?limit=1000 as fast as they are answered, each from a random point of the year.
 * Measured over the same time, with the read workers (the default count for this machine) and with
 * `--read-workers 0`, today's single loop, as the baseline, each in two halves taken in turn:
 *  - throughput (answers/s; every answer must be a 200 with 1,000 rows);
 *  - the engine's event-loop delay p99, from the serve process's own /metrics histogram (the
 *    difference between a scrape before and after the span);
 *  - /healthz latency p50 and p99, probed every 20 ms by a client in a process of its own.
 * Goals: loop p99 and /healthz p99 under 50 ms with workers, and throughput at least the baseline's.
 * A third span with no readers shows the floor this machine and the engine alone give both delays.
 * `CANDLEKEEP_BENCH_SERVE_SECONDS` sets the time per configuration (default 60),
 * `CANDLEKEEP_BENCH_SERVE_WORKERS` the read workers (default: serve's own default for this machine).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { BIN, startSimProcess } from './sim-process.js';
import { startServe, stopChild } from './serve-process.js';
import { compare, type Comparison } from './report.js';
import { defaultReadWorkers } from '../electron/server/read-pool.js';

const MIN = 60_000;
const DAY = 1_440 * MIN;
const READERS = 50;
const LIMIT = 1_000;
const PROBE_EVERY_MS = 20;
const GOAL_MS = 50;
const SPAN_S = Number(process.env.CANDLEKEEP_BENCH_SERVE_SECONDS ?? 60);
const WARMUP_S = 5;
const OTHERS = ['ETHUSDT', 'BNBUSDT', 'SOLUSDT', 'XRPUSDT', 'ADAUSDT', 'DOGEUSDT', 'LTCUSDT', 'ETHBTC', 'NEWUSDT'];

const iso = (ts: number): string => new Date(ts).toISOString();

/** A year of BTCUSDT 1m and a day of nine others, all up to the last closed minute, fetched as a user would. */
async function seed(simUrl: string, dir: string, db: string, end: number): Promise<void> {
  const env = {
    ...process.env,
    CANDLEKEEP_HOME: dir,
    CANDLEKEEP_BINANCE_URL: `${simUrl}/binance`,
    CANDLEKEEP_BINANCE_ARCHIVES: 'off',
  };
  const run = (symbol: string, from: number): Promise<unknown> =>
    promisify(execFile)(
      process.execPath,
      [
        BIN,
        'backfill',
        '--source',
        'binance',
        '--symbol',
        symbol,
        '--timeframe',
        '1m',
        '--from',
        iso(from),
        '--to',
        iso(end),
        '--db',
        db,
        '--json',
      ],
      { env, maxBuffer: 1 << 24 },
    );
  await run('BTCUSDT', end - 365 * DAY);
  for (const symbol of OTHERS) await run(symbol, end - DAY);
}

/** One GET on a kept-alive connection: status, body size and ms. */
function get(agent: http.Agent, url: string): Promise<{ status: number; bytes: number; ms: number; body: Buffer }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, bytes: body.length, ms: performance.now() - started, body });
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** The main loop's delay histogram: cumulative counts per upper bound in ms. */
async function loopHistogram(url: string): Promise<Array<[number, number]>> {
  const res = await get(new http.Agent(), `${url}/metrics`);
  const family = parsePrometheusTextFormat(res.body.toString('utf8')).find(
    (f) => f.name === 'candlekeep_event_loop_delay_seconds',
  );
  if (!family) throw new Error('serve has no candlekeep_event_loop_delay_seconds on /metrics');
  const buckets = (family.metrics[0] as unknown as { buckets: Record<string, string> }).buckets;
  return Object.entries(buckets)
    .map(([le, n]) => [le === '+Inf' ? Infinity : Number(le) * 1000, Number(n)] as [number, number])
    .sort((a, b) => a[0] - b[0]);
}

/** The samples between two scrapes. */
const histogramDelta = (before: Array<[number, number]>, after: Array<[number, number]>): Array<[number, number]> =>
  after.map(([le, n], i) => [le, n - (before[i]?.[1] ?? 0)] as [number, number]);

/** A quantile of a cumulative histogram, interpolated within its bucket. */
function histogramQuantile(delta: Array<[number, number]>, q: number): number {
  const total = delta[delta.length - 1]![1];
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const [le, n] of delta) {
    if (n >= rank) return le === Infinity ? lower : lower + ((le - lower) * (rank - below)) / Math.max(1, n - below);
    lower = le;
    below = n;
  }
  return lower;
}

/**
 * /healthz latencies over `ms`, one probe every 20 ms on one kept-alive connection, from a process of
 * its own: in this one the readers' answers would delay the probe's own callbacks.
 */
const PROBE = `
const http = require('node:http');
const [url, ms, every] = process.argv.slice(1);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const until = Date.now() + Number(ms);
const out = [];
const once = () => new Promise((resolve, reject) => {
  const started = performance.now();
  http.get(url + '/healthz', { agent }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode === 200 ? performance.now() - started : -1)); }).on('error', reject);
});
(async () => {
  while (Date.now() < until) { out.push(await once()); await new Promise((r) => setTimeout(r, Number(every))); }
  agent.destroy();
  process.stdout.write(JSON.stringify(out));
})();
`;

async function probeHealth(url: string, ms: number): Promise<number[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [
    '-e',
    PROBE,
    url,
    String(ms),
    String(PROBE_EVERY_MS),
  ]);
  const samples = JSON.parse(stdout) as number[];
  if (samples.some((s) => s < 0)) throw new Error('/healthz answered other than 200');
  return samples;
}

const quantile = (xs: number[], q: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};

/** One span of one configuration. */
interface Span {
  answers: number;
  errors: number;
  seconds: number;
  /** The serve process's loop delays over the span (a cumulative histogram, ms bounds). */
  loop: Array<[number, number]>;
  health: number[];
}

interface RunResult {
  workers: number;
  answers: number;
  perSecond: number;
  errors: number;
  loopP99: number;
  healthP50: number;
  healthP99: number;
  samples: number;
}

/** Spans of one configuration taken together: their answers, their delays and their probes pooled. */
function pooled(workers: number, spans: Span[]): RunResult {
  const answers = spans.reduce((n, s) => n + s.answers, 0);
  const loop = spans[0]!.loop.map(([le], i) => [le, spans.reduce((n, s) => n + s.loop[i]![1], 0)] as [number, number]);
  const health = spans.flatMap((s) => s.health);
  return {
    workers,
    answers,
    errors: spans.reduce((n, s) => n + s.errors, 0),
    perSecond: answers / spans.reduce((n, s) => n + s.seconds, 0),
    loopP99: histogramQuantile(loop, 0.99),
    healthP50: quantile(health, 0.5),
    healthP99: quantile(health, 0.99),
    samples: health.length,
  };
}

async function loadRun(
  db: string,
  env: NodeJS.ProcessEnv,
  workers: number,
  first: number,
  last: number,
  spanS: number,
  readerCount = READERS,
): Promise<Span> {
  const { url, child } = await startServe(db, env, ['--read-workers', String(workers)]);
  try {
    await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
    const readers = new http.Agent({ keepAlive: true, maxSockets: READERS });
    const prober = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const before = await loopHistogram(url);
    const until = performance.now() + spanS * 1000;
    let answers = 0;
    let errors = 0;
    const reader = async (): Promise<void> => {
      while (performance.now() < until) {
        const start = first + Math.floor(Math.random() * ((last - first) / MIN - LIMIT)) * MIN;
        try {
          const r = await get(
            readers,
            `${url}/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${start}&limit=${LIMIT}`,
          );
          // A 1,000-row answer is ~120 KB; anything else (an error body, a short page) counts as an error.
          if (r.status === 200 && r.bytes > 100_000) answers++;
          else errors++;
        } catch {
          errors++;
        }
      }
    };
    const started = performance.now();
    const probing = probeHealth(url, spanS * 1000);
    await Promise.all(Array.from({ length: readerCount }, reader));
    const health = await probing;
    const seconds = (performance.now() - started) / 1000;
    const after = await loopHistogram(url);
    readers.destroy();
    prober.destroy();
    return { answers, errors, seconds, loop: histogramDelta(before, after), health };
  } finally {
    await stopChild(child);
  }
}

const describe = (
  r: RunResult,
  what = r.workers ? `${r.workers} read worker${r.workers > 1 ? 's' : ''}` : 'single loop',
): string =>
  `${what}: ${r.answers} answers (${r.perSecond.toFixed(0)}/s), ${r.errors} errors, loop p99 ${r.loopP99.toFixed(1)} ms, /healthz p50 ${r.healthP50.toFixed(1)} / p99 ${r.healthP99.toFixed(1)} ms`;

export async function benchServe(): Promise<Comparison[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candlekeep-serve-'));
  const sim = await startSimProcess(['--seed', '4']);
  try {
    const db = path.join(dir, 'serve.db');
    const end = Math.floor(Date.now() / MIN) * MIN;
    await seed(sim.url, dir, db, end);
    const env = {
      CANDLEKEEP_BINANCE_URL: `${sim.url}/binance`,
      CANDLEKEEP_BINANCE_ARCHIVES: 'off',
      CANDLEKEEP_HOME: dir,
    };
    const workers = Number(process.env.CANDLEKEEP_BENCH_SERVE_WORKERS ?? defaultReadWorkers());
    // In turn, baseline-ours-ours-baseline, so a drift in the machine's load weighs on both alike.
    const half = SPAN_S / 2;
    const spans = { loop: [] as Span[], workers: [] as Span[] };
    for (const mode of ['loop', 'workers', 'workers', 'loop'] as const)
      spans[mode].push(await loadRun(db, env, mode === 'loop' ? 0 : workers, end - 365 * DAY, end, half));
    const baseline = pooled(0, spans.loop);
    const ours = pooled(workers, spans.workers);
    // The floor: the same engine and probe with nobody reading, on this machine as it is now.
    const idle = pooled(workers, [await loadRun(db, env, workers, end - 365 * DAY, end, half, 0)]);
    for (const r of [baseline, ours]) console.log(`  ${describe(r)}`);
    console.log(`  ${describe(idle, 'no readers')}`);
    if (ours.errors || baseline.errors)
      throw new Error(`readers saw errors: ${ours.errors} with workers, ${baseline.errors} on the single loop`);
    const span = `${READERS} readers for ${SPAN_S} s each, in two halves taken in turn; ${os.availableParallelism()} cores`;
    return [
      compare(
        'serve: klines answers/s, read workers vs single loop',
        { unit: 'answers/s', value: ours.perSecond },
        { name: 'single loop (--read-workers 0)', unit: 'answers/s', value: baseline.perSecond },
        1,
        true,
        `${workers} worker(s); ${span}`,
      ),
      compare(
        'serve: engine event-loop p99 under 50 readers',
        { unit: 'ms', value: ours.loopP99 },
        { name: 'limit', unit: 'ms', value: GOAL_MS },
        1,
        false,
        `single loop: ${baseline.loopP99.toFixed(1)} ms; no readers: ${idle.loopP99.toFixed(1)} ms`,
      ),
      compare(
        'serve: /healthz p99 under 50 readers',
        { unit: 'ms', value: ours.healthP99 },
        { name: 'limit', unit: 'ms', value: GOAL_MS },
        1,
        false,
        `p50 ${ours.healthP50.toFixed(1)} ms over ${ours.samples} probes; single loop: p50 ${baseline.healthP50.toFixed(1)} / p99 ${baseline.healthP99.toFixed(1)} ms; no readers: p99 ${idle.healthP99.toFixed(1)} ms`,
      ),
      compare(
        'serve: engine event-loop p99, read workers vs single loop',
        { unit: 'ms', value: ours.loopP99 },
        { name: 'single loop', unit: 'ms', value: baseline.loopP99 },
        1,
        false,
      ),
    ];
  } finally {
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
