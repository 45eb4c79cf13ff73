/**
 * A thousand live 1m series on one process: the engine with Binance's kline streams against the
 * same engine polling REST for its tails, each over 30 simulated minutes against `candlekeep sim
 * --symbols 1000` in another process (time ×SCALE). Reported: close→stored latency p50/p95 (simulated
 * seconds), event-loop delay p99, peak RSS, and tail REST weight per simulated hour, streams against
 * polling.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Store } from '../electron/store/store.js';
import { BinanceSource } from '../electron/sources/binance.js';
import { BinanceKlineStreams } from '../electron/sources/binance-streams.js';
import { Engine } from '../electron/engine/engine.js';
import { ScaledClock } from '../electron/net/clock.js';
import { Network } from '../electron/net/network.js';
import { EventBus } from '../shared/event-bus.js';
import type { LoggedRequest } from '../electron/simulator/request-log.js';
import { startSimProcess } from './sim-process.js';
import { compare, type Comparison } from './report.js';

const MINUTE = 60_000;
/** CANDLEKEEP_BENCH_LIVE_SERIES and _MINUTES shrink the run while working on it. */
const SERIES = Number(process.env.CANDLEKEEP_BENCH_LIVE_SERIES ?? 1_000);
const SCALE = 5;
const RUN_MS = Number(process.env.CANDLEKEEP_BENCH_LIVE_MINUTES ?? 30) * MINUTE;
/** Measured after the first minutes (history, subscriptions). */
const WARMUP_MS = 5 * MINUTE;
const START = Date.parse('2024-06-01T00:00:40Z');
/** One klines request (weight 2) over the measured part of a run, per hour. */
const ONE_REQUEST_PER_RUN = 2 / ((RUN_MS - WARMUP_MS) / (60 * MINUTE));

interface LiveRun {
  latencies: number[];
  loopP99Ms: number;
  peakRssMb: number;
  tailWeightPerHour: number;
  stored: number;
}

async function control<T>(url: string, route: string, body?: unknown): Promise<T> {
  const res = await fetch(
    `${url}/_sim/${route}`,
    body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) },
  );
  return (await res.json()) as T;
}

const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

async function run(simUrl: string, streams: boolean): Promise<LiveRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candlekeep-live-'));
  const simNow = (await control<{ now: number }>(simUrl, 'clock')).now;
  // The engine's clock starts where the simulator's is now, at the same scale.
  const clock = new ScaledClock(simNow, SCALE);
  const network = new Network(clock);
  const store = Store.open(path.join(dir, 'live.db'));
  const events = new EventBus();
  const engine = new Engine({
    store,
    clock,
    network,
    events,
    sourceFor: () => new BinanceSource({ hosts: [`${simUrl}/binance`], clock, network, timeoutMs: 10_000 }),
    streamFor: streams
      ? (id, handlers) =>
          id === 'binance'
            ? new BinanceKlineStreams({ url: `${simUrl.replace('http', 'ws')}/binance`, clock, network, handlers })
            : undefined
      : undefined,
  });
  for (let i = 1; i <= SERIES; i++)
    store.series.ensure(
      { source: 'binance', symbol: `SYN${String(i).padStart(4, '0')}USDT`, timeframe: '1m' },
      simNow - 10 * MINUTE,
      simNow,
    );
  const measureFrom = simNow + WARMUP_MS;
  const latencies: number[] = [];
  events.on('candles:stored', ({ lastTs, count }) => {
    const now = clock.now();
    if (count > 0 && lastTs !== null && lastTs + MINUTE >= measureFrom && lastTs + MINUTE <= now)
      latencies.push(now - (lastTs + MINUTE));
  });
  const loop = monitorEventLoopDelay({ resolution: 5 });
  let peakRss = 0;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
  await control(simUrl, 'log/clear', {});
  await engine.start();
  await clock.sleep(WARMUP_MS);
  loop.enable();
  await clock.sleep(RUN_MS - WARMUP_MS);
  loop.disable();
  clearInterval(rssTimer);
  const log = await control<LoggedRequest[]>(simUrl, 'log');
  await engine.stop();
  network.stop();
  const stored = store.candles.count(store.series.list()[0]!.id, 0, Number.MAX_SAFE_INTEGER);
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const tail = log.filter(
    (e) => e.path === '/binance/api/v3/klines' && e.at >= measureFrom && Number(e.query.endTime) >= e.at - 5 * MINUTE,
  );
  const weight = tail.reduce((sum, e) => sum + e.weight, 0);
  const statuses = new Map<string, number>();
  for (const e of tail)
    statuses.set(
      `${e.status}${e.fault ? ` ${e.fault}` : ''}`,
      (statuses.get(`${e.status}${e.fault ? ` ${e.fault}` : ''}`) ?? 0) + 1,
    );
  // Which series asked most: one in the simulator's maintenance is asked once a minute, streams or not.
  const bySeries = new Map<string, number>();
  for (const e of tail) bySeries.set(e.query.symbol ?? '', (bySeries.get(e.query.symbol ?? '') ?? 0) + 1);
  const busiest = [...bySeries].sort((a, b) => b[1] - a[1]).slice(0, 5);
  console.log(
    `${streams ? 'streams' : 'polling'}: ${tail.length} tail requests (${[...statuses].map(([k, n]) => `${k}: ${n}`).join(', ')}), ${log.filter((e) => e.path === '/binance/api/v3/klines').length} klines requests in all; ${bySeries.size} series asked, most: ${busiest.map(([symbol, n]) => `${symbol} ${n}`).join(', ')}`,
  );
  return {
    latencies: latencies.sort((a, b) => a - b),
    loopP99Ms: loop.percentile(99) / 1e6,
    peakRssMb: peakRss / 2 ** 20,
    tailWeightPerHour: weight / ((RUN_MS - WARMUP_MS) / (60 * MINUTE)),
    stored,
  };
}

export async function benchLive(): Promise<Comparison[]> {
  const sim = await startSimProcess([
    '--seed',
    '1',
    '--symbols',
    String(SERIES),
    '--time-scale',
    String(SCALE),
    '--start',
    new Date(START).toISOString(),
  ]);
  try {
    const polled = await run(sim.url, false);
    const streamed = await run(sim.url, true);
    const note = (r: LiveRun): string =>
      `p50 ${(quantile(r.latencies, 0.5) / 1000).toFixed(2)} s, p95 ${(quantile(r.latencies, 0.95) / 1000).toFixed(2)} s over ${r.latencies.length} closes; loop p99 ${r.loopP99Ms.toFixed(1)} ms; RSS ${r.peakRssMb.toFixed(0)} MB`;
    console.log(`streams: ${note(streamed)}`);
    console.log(`polling: ${note(polled)}`);
    return [
      compare(
        'live: close→stored latency p95, 1,000 streamed 1m series (simulated s)',
        { unit: 's', value: quantile(streamed.latencies, 0.95) / 1000 },
        { name: '2.5 s limit', unit: 's', value: 2.5 },
        1,
        false,
        `p50 ${(quantile(streamed.latencies, 0.5) / 1000).toFixed(2)} s; polling p95 ${(quantile(polled.latencies, 0.95) / 1000).toFixed(2)} s`,
      ),
      compare(
        'live: event-loop delay p99 with 1,000 streamed series',
        { unit: 'ms', value: streamed.loopP99Ms },
        { name: '50 ms limit', unit: 'ms', value: 50 },
        1,
        false,
        `polling ${polled.loopP99Ms.toFixed(1)} ms`,
      ),
      compare(
        'live: peak RSS with 1,000 streamed series',
        { unit: 'MB', value: streamed.peakRssMb },
        { name: '600 MB limit', unit: 'MB', value: 600 },
        1,
        false,
        `polling ${polled.peakRssMb.toFixed(0)} MB`,
      ),
      // No tail request at all is reported as one, so the ratio stays a number one can read.
      compare(
        'live: tail REST weight per simulated hour, streams vs polling',
        { unit: 'weight/h', value: Math.max(streamed.tailWeightPerHour, ONE_REQUEST_PER_RUN) },
        { name: 'polling', unit: 'weight/h', value: polled.tailWeightPerHour },
        20,
        false,
        `goal: streams at most 5% of polling; streams measured ${streamed.tailWeightPerHour.toFixed(0)} weight/h`,
      ),
    ];
  } finally {
    await sim.stop();
  }
}
