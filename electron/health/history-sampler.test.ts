/**
 * The sampler against a real engine and simulator on one manual clock: a source that goes down
 * shows in the history as a series falling behind its live edge and as failed minutes in the
 * request buckets; all of it on the engine's clock, not the wall's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../test-support/engine-rig.js';
import { HealthService } from './health-service.js';
import { HistorySampler } from './history-sampler.js';
import { HOUR_MS, MINUTE_MS } from '../../shared/timeframe.js';

const START = Date.parse('2024-03-05T10:00:00Z');
let rig: EngineRig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('the history sampler', () => {
  it('records a source outage as lag and failed minutes, and the recovery after it', async () => {
    const r = (rig = await engineRig(START));
    r.network.listen({ onRequest: (o) => r.store.requests.add(o) });
    const series = r.store.series.ensure(
      { source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' },
      START - HOUR_MS,
      START,
    );
    const sampler = new HistorySampler(
      r.store,
      new HealthService(r.store, r.network, r.engine, r.clock),
      r.network,
      r.clock,
    );
    await r.engine.start();
    const sample = () =>
      r.store.db
        .prepare('SELECT bucket, completeness, lag_ms AS lagMs FROM series_hours WHERE series_id = ?')
        .all(series.id) as Array<{ bucket: number; lagMs: number }>;
    // The first hour's sample after each tick: its lag only ever rises to the worst one seen so far.
    const firstHourLags: number[] = [];
    const minutes = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) {
        await r.run(MINUTE_MS);
        await sampler.tick();
        const first = sample().find((s) => s.bucket === START);
        if (first && r.clock.now() < START + HOUR_MS) firstHourLags.push(first.lagMs);
      }
    };
    await minutes(5);
    expect(sample()).toEqual([{ bucket: START, completeness: 1, lagMs: 0 }]);

    const port = new URL(r.sim.urls[0]!).port;
    r.sim.outage(port, 20 * MINUTE_MS);
    await minutes(20);
    const [during] = sample();
    expect(during!.lagMs).toBeGreaterThanOrEqual(10 * MINUTE_MS);
    const failed = r.store.historyQueries
      .outcomes('minute', 'binance', START, r.clock.now(), MINUTE_MS)
      .filter((o) => o.outcome !== 'ok');
    expect(failed.length).toBeGreaterThan(0);

    r.sim.outage(port, 0);
    await minutes(15);
    // A few failures and a backing-off series never opened the breaker: nothing to note.
    expect(r.store.historyQueries.breakerChanges('binance', START, START + 2 * HOUR_MS)).toEqual([]);
    // The hour's worst lag stays in its sample (the series may take a minute or two of backoff to
    // catch up after the outage, so the worst can come after it); the next hour starts caught up.
    await minutes(30);
    const worst = Math.max(...firstHourLags);
    expect(worst).toBeGreaterThanOrEqual(during!.lagMs);
    expect(firstHourLags.every((lag, i) => i === 0 || lag >= firstHourLags[i - 1]!)).toBe(true);
    expect(sample()).toEqual([
      { bucket: START, completeness: expect.any(Number), lagMs: worst },
      { bucket: START + HOUR_MS, completeness: 1, lagMs: 0 },
    ]);
  }, 120_000);
});
