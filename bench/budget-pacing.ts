/**
 * Backfilling under the simulator's real Binance budget (scaled in time): how much of the budget's
 * theoretical throughput we use, and how long a fixed range takes, ours vs ccxt's own throttled
 * fetchOHLCV loop (its rateLimit set to the same budget) against the same server, in the same run.
 */
import ccxt from 'ccxt';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Store } from '../electron/store/store.js';
import { BinanceSource } from '../electron/sources/binance.js';
import { backfill } from '../electron/engine/backfill.js';
import { ScaledClock } from '../electron/net/clock.js';
import { Network } from '../electron/net/network.js';
import type { LoggedRequest } from '../electron/simulator/request-log.js';
import { startSimProcess } from './sim-process.js';
import { compare, type Comparison } from './report.js';

const SCALE = 10;
/** Weight per simulated minute: 150 klines requests. */
const WEIGHT_LIMIT = 300;
const WINDOW_MS = 60_000;
const FROM = Date.parse('2023-01-01T00:00:00Z');
/** 1300 pages of 1000 one-minute candles (plus hole confirmations): about 12 budget windows. */
const TO = FROM + 1300 * 1000 * 60_000;
const START = Date.parse('2024-06-01T00:00:00Z');

async function control(url: string, route: string, body?: unknown): Promise<unknown> {
  const res = await fetch(
    `${url}/_sim/${route}`,
    body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) },
  );
  return res.json();
}

interface Run {
  simMs: number;
  log: LoggedRequest[];
}

/**
 * Weight spent per window over the run, as a fraction of the limit. Any client may spend the first
 * window's allowance at once, so over N windows the ceiling is about (N+1)/N.
 */
function budgetUse(run: Run): number {
  const weight = run.log.reduce((sum, e) => sum + e.weight, 0);
  return weight / (run.simMs / WINDOW_MS) / WEIGHT_LIMIT;
}

async function measure(url: string, body: () => Promise<void>): Promise<Run> {
  await control(url, 'budget', { reset: true });
  await control(url, 'log/clear', {});
  const before = ((await control(url, 'clock')) as { now: number }).now;
  await body();
  const after = ((await control(url, 'clock')) as { now: number }).now;
  return { simMs: after - before, log: (await control(url, 'log')) as LoggedRequest[] };
}

export async function benchBudgetPacing(): Promise<Comparison[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candlekeep-pacing-'));
  const sim = await startSimProcess([
    '--seed',
    '1',
    '--time-scale',
    String(SCALE),
    '--weight-limit',
    String(WEIGHT_LIMIT),
    '--start',
    new Date(START).toISOString(),
  ]);
  try {
    const simNow = ((await control(sim.url, 'clock')) as { now: number }).now;
    const clock = new ScaledClock(simNow, SCALE);

    const ours = await measure(sim.url, async () => {
      const store = Store.open(path.join(dir, 'ours.db'));
      const network = new Network(clock);
      const source = new BinanceSource({ hosts: [`${sim.url}/binance`], clock, network });
      await backfill(
        { store, source, clock },
        { key: { source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, from: FROM, to: TO },
        { concurrency: 4 },
      );
      network.stop();
      store.close();
    });

    const theirs = await measure(sim.url, async () => {
      // ccxt models Binance's 6000 weight/min as 1 weight = 0.2 cost units of `rateLimit` ms; give it the same budget.
      const rateLimit = (1000 * 60) / (0.2 * WEIGHT_LIMIT * SCALE);
      const exchange = new ccxt.binance({
        enableRateLimit: true,
        rateLimit,
        urls: { api: { public: `${sim.url}/binance/api/v3` } } as never,
        options: { fetchMarkets: ['spot'] } as never,
      });
      await exchange.loadMarkets();
      for (let since = FROM; since < TO;) {
        const page = await exchange.fetchOHLCV('BTC/USDT', '1m', since, 1000);
        if (!page.length) break;
        since = page[page.length - 1]![0]! + 60_000;
      }
    });

    const rate429 = (r: Run) => r.log.filter((e) => e.status === 429 || e.status === 418).length;
    const ourUse = budgetUse(ours);
    const note = `${ours.log.length} requests over ${(ours.simMs / WINDOW_MS).toFixed(1)} windows (ccxt ${(budgetUse(theirs) * 100).toFixed(0)}%); 429/418 answers: ours ${rate429(ours)}, ccxt ${rate429(theirs)}; time scale ${SCALE}x, ${WEIGHT_LIMIT} weight/min`;
    if (rate429(ours) > 0) throw new Error(`we received ${rate429(ours)} rate-limit answers under the budget`);
    return [
      compare(
        'budget use over the run',
        { unit: '% of budget', value: ourUse * 100 },
        { name: 'theoretical', unit: '% of budget', value: 100 },
        0.95,
        true,
        note,
      ),
      compare(
        'paced backfill time',
        { unit: 'sim s', value: ours.simMs / 1000 },
        { name: 'ccxt throttled fetchOHLCV loop', unit: 'sim s', value: theirs.simMs / 1000 },
        1,
        false,
        note,
      ),
    ];
  } finally {
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
