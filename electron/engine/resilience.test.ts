/**
 * Resilience against the simulator's real failure modes, over real loopback HTTP: hostile faults on
 * two hosts, a host outage, and another client spending weight on the same IP.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import { ScaledClock, type Clock } from '../net/clock.js';
import { Network } from '../net/network.js';
import { Store } from '../store/store.js';
import { BinanceSource } from '../sources/binance.js';
import { backfill } from './backfill.js';
import type { RetryPolicy } from '../net/retry.js';
import { tempDbPath } from '../test-support/temp-db.js';
import { truthCandles } from '../test-support/truth.js';
import { MINUTE_MS, DAY_MS } from '../../shared/timeframe.js';
import type { LoggedRequest } from '../simulator/request-log.js';

const NOW = Date.parse('2024-06-01T00:00:00Z');
const FROM = Date.parse('2024-01-01T00:00:00Z');
const key = { source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' as const };
const patientRetry: RetryPolicy = { maxAttempts: 20, baseDelayMs: 200, maxDelayMs: 5_000, maxTotalMs: 10 * 60_000 };

interface Rig {
  sim: Simulator;
  store: Store;
  network: Network;
  clock: Clock;
  source: BinanceSource;
}

const rigs: Array<{ rig: Rig; cleanup: () => void }> = [];

async function rig(options: Parameters<typeof startSimulator>[0] & { scale: number }): Promise<Rig> {
  const clock = new ScaledClock(NOW, options.scale);
  const sim = await startSimulator({ seed: 11, ...options, clock });
  const db = tempDbPath();
  const network = new Network(clock);
  const store = Store.open(db.file);
  const source = new BinanceSource({ hosts: sim.urls.map((u) => `${u}/binance`), clock, network, timeoutMs: 1_500 });
  const r = { sim, store, network, clock, source };
  rigs.push({ rig: r, cleanup: db.cleanup });
  return r;
}

afterEach(async () => {
  for (const { rig: r, cleanup } of rigs.splice(0)) {
    r.network.stop();
    r.store.close();
    cleanup();
    await r.sim.close();
  }
});

/** Requests that reached the server inside a Retry-After it had sent (excluding ones already in flight). */
function insideRetryAfter(log: LoggedRequest[]): LoggedRequest[] {
  const limited = log.filter((e) => (e.status === 429 || e.status === 418) && e.retryAfter);
  return log.filter(
    (e) =>
      e.fault !== 'in_flight_after_429' &&
      limited.some(
        (l) => l.seq < e.seq && e.at > l.at && e.at < l.at + l.retryAfter! * 1000 && e.fault !== 'in_flight_after_429',
      ),
  );
}

describe('resilience', () => {
  it('under hostile faults over two hosts, a multi-day backfill ends equal to the truth with no ban', async () => {
    const r = await rig({ scale: 20, hosts: 2, faults: 'hostile' });
    // Make sure the run meets a 429 storm and a hang, whatever the dice say.
    r.sim.faults.add({ kind: 'rate_limit_storm', route: '/binance/api/v3/klines', count: 1, durationMs: 4_000 });
    r.sim.faults.add({ kind: 'hang', route: '/binance/api/v3/klines', count: 1 });
    const to = FROM + 10 * DAY_MS;
    // Two series at once share the budget: a Retry-After seen by one must stop the other too.
    const deps = { store: r.store, source: r.source, clock: r.clock, retry: patientRetry };
    const [btc, eth] = await Promise.all([
      backfill(deps, { key, from: FROM, to }),
      backfill(deps, { key: { ...key, symbol: 'ETHUSDT' }, from: FROM, to }),
    ]);

    expect(r.store.candles.range(btc.seriesId, FROM, to)).toEqual(truthCandles(r.sim, 'BTCUSDT', FROM, to));
    expect(r.store.candles.range(eth.seriesId, FROM, to)).toEqual(truthCandles(r.sim, 'ETHUSDT', FROM, to));
    const log = r.sim.log.since();
    const faults = new Set(log.map((e) => e.fault).filter(Boolean));
    expect(faults).toContain('rate_limit_storm');
    expect([...faults].filter((f) => f !== 'rate_limit_storm' && f !== 'in_flight_after_429').length).toBeGreaterThan(
      1,
    );
    expect(log.filter((e) => e.status === 418)).toEqual([]);
    expect(insideRetryAfter(log)).toEqual([]);
    expect(new Set(log.map((e) => e.host)).size).toBe(2);
  });

  it('a Retry-After seen by one caller holds back every other caller of that host', async () => {
    const r = await rig({ scale: 20 });
    r.sim.faults.add({ kind: 'rate_limit_storm', route: '/binance/api/v3/klines', count: 1, durationMs: 3_000 });
    const window = { symbol: 'BTCUSDT', timeframe: '1m' as const, from: FROM, to: FROM + 1000 * MINUTE_MS };
    await expect(r.source.fetchWindow(window)).rejects.toThrow(/rate limit/);
    const other = new BinanceSource({
      hosts: r.sim.urls.map((u) => `${u}/binance`),
      clock: r.clock,
      network: r.network,
    });
    await other.fetchWindow(window);
    const [limited, next] = r.sim.log.since().filter((e) => e.path.endsWith('/klines'));
    expect(limited).toMatchObject({ status: 429, retryAfter: 3 });
    expect(next!.status).toBe(200);
    expect(next!.at).toBeGreaterThanOrEqual(limited!.at + 3_000);
  });

  it('finishes on the remaining host while the other is down, and spreads load again once it is back', async () => {
    const r = await rig({ scale: 20, hosts: 2 });
    const [hostA, hostB] = r.sim.urls.map((u) => new URL(u).port);
    r.sim.outage(hostB!, 60 * MINUTE_MS);
    const firstTo = FROM + 3 * DAY_MS;
    const first = await backfill(
      { store: r.store, source: r.source, clock: r.clock, retry: patientRetry },
      { key, from: FROM, to: firstTo },
    );
    expect(r.store.candles.range(first.seriesId, FROM, firstTo)).toEqual(truthCandles(r.sim, 'BTCUSDT', FROM, firstTo));
    expect(new Set(r.sim.log.since().map((e) => e.host))).toEqual(new Set([hostA]));

    r.sim.outage(hostB!, 0);
    const healthyAgain = async (): Promise<boolean> => r.network.snapshot()[0]!.hosts.every((h) => h.healthy);
    for (let i = 0; i < 200 && !(await healthyAgain()); i++) await new Promise((res) => setTimeout(res, 50));
    expect(await healthyAgain()).toBe(true);

    const seq = r.sim.log.since().at(-1)!.seq;
    const secondTo = firstTo + 6 * DAY_MS;
    await backfill(
      { store: r.store, source: r.source, clock: r.clock, retry: patientRetry },
      { key, from: firstTo, to: secondTo },
    );
    const later = r.sim.log.since(seq).filter((e) => e.path.endsWith('/klines'));
    const onB = later.filter((e) => e.host === hostB).length;
    expect(onB / later.length).toBeGreaterThan(0.3);
    expect(onB / later.length).toBeLessThan(0.7);
  });

  it('slows down for another client on the same IP instead of tipping over the limit', async () => {
    const r = await rig({ scale: 60, weightLimit: 200 });
    r.sim.binance.budget.extraWeightPerMinute = 120;
    const to = FROM + 40 * DAY_MS;
    const summary = await backfill(
      { store: r.store, source: r.source, clock: r.clock, retry: patientRetry },
      { key, from: FROM, to },
    );
    expect(summary.candlesStored).toBe(truthCandles(r.sim, 'BTCUSDT', FROM, to).length);
    const log = r.sim.log.since();
    expect(log.filter((e) => e.status === 429 || e.status === 418)).toEqual([]);
    const perMinute = new Map<number, number>();
    for (const e of log)
      perMinute.set(Math.floor(e.at / MINUTE_MS), (perMinute.get(Math.floor(e.at / MINUTE_MS)) ?? 0) + e.weight);
    for (const weight of perMinute.values()) expect(weight + 120).toBeLessThanOrEqual(200);
    // It still used the room it had: at least two full minutes' worth of requests.
    expect(Math.max(...perMinute.values())).toBeGreaterThan(50);
  });
});
