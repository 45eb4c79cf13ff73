/**
 * A long backfill into an SQLite file commits on a writer thread: what it stores, quarantines and
 * records in the ledger is exactly what the same backfill committed on the calling thread records,
 * and a backfill cut off half-way leaves every window stored whole or accounted for in the ledger.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import { ManualClock } from '../net/clock.js';
import { Network } from '../net/network.js';
import { Store } from '../store/store.js';
import { BinanceSource } from '../sources/binance.js';
import { backfill } from './backfill.js';
import { verifyStore } from './ledger-verify.js';
import { THREAD_MIN_WINDOWS, windowWriterFor } from './window-writer.js';
import { tempDbPath } from '../test-support/temp-db.js';
import { truthCandles } from '../test-support/truth.js';

const FROM = Date.parse('2024-02-01T00:00:00Z');
const TO = Date.parse('2024-02-21T00:00:00Z'); // 20 days of 1m: 29 windows of 1,000
const NOW = Date.parse('2024-03-01T00:00:00Z');
const M = 60_000;
const key = { source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' as const };
const NO_RETRY = { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxTotalMs: 1 };

let sim: Simulator | undefined;
const closing: Array<() => void> = [];
afterEach(async () => {
  for (const close of closing.splice(0)) close();
  await sim?.close();
  sim = undefined;
});

function fileStore(): Store {
  const db = tempDbPath();
  const store = Store.open(db.file);
  closing.push(() => (store.close(), db.cleanup()));
  return store;
}

function memoryStore(): Store {
  const store = Store.open(':memory:');
  closing.push(() => store.close());
  return store;
}

const ledger = (store: Store, id: number) =>
  store.holes.list(id).map((h) => ({ from: h.fromTs, to: h.toTs, state: h.state, cause: h.cause }));
const quarantine = (store: Store, id: number) =>
  store.rejected.list(id).map((r) => ({ ts: r.ts, reason: r.reason, raw: r.raw, detail: r.detail }));

describe('the writer thread of a long backfill', () => {
  it('stores, quarantines and records exactly what a backfill committing on its own thread does', async () => {
    const clock = new ManualClock(NOW);
    sim = await startSimulator({ seed: 7, clock });
    const spoiled = [FROM + 1_500 * M, FROM + 20_000 * M];
    for (const openTime of spoiled) sim.faults.add({ kind: 'invalid_candle', invalid: 'high_below_max', openTime });
    const source = new BinanceSource({ hosts: [`${sim.url}/binance`], clock, network: new Network(clock) });
    const threaded = fileStore();
    const here = memoryStore();
    const windows = source.windows('1m', FROM, TO).length;
    expect(windows).toBeGreaterThanOrEqual(THREAD_MIN_WINDOWS);
    expect(windowWriterFor(threaded, windows).threaded).toBe(true);
    expect(windowWriterFor(here, windows).threaded).toBe(false);

    const a = await backfill({ store: threaded, source, clock }, { key, from: FROM, to: TO });
    const b = await backfill({ store: here, source, clock }, { key, from: FROM, to: TO });

    const truth = truthCandles(sim, 'BTCUSDT', FROM, TO).filter((c) => !spoiled.includes(c.ts));
    expect(threaded.candles.range(a.seriesId, FROM, TO)).toEqual(truth);
    expect(here.candles.range(b.seriesId, FROM, TO)).toEqual(truth);
    expect(a.candlesStored).toBe(truth.length);
    expect(quarantine(threaded, a.seriesId).map((r) => r.ts)).toEqual(spoiled);
    // The bad rows reach the quarantine as the wire carried them, from either thread.
    expect(quarantine(threaded, a.seriesId)).toEqual(quarantine(here, b.seriesId));
    expect(ledger(threaded, a.seriesId)).toEqual(ledger(here, b.seriesId));
    expect(ledger(threaded, a.seriesId).filter((h) => h.cause === 'rejected')).toHaveLength(spoiled.length);
    expect(verifyStore(threaded, clock.now()).findings).toEqual([]);
  });

  it('cut off half-way, leaves each window stored whole or in the ledger as failed, and the next run completes it', async () => {
    const clock = new ManualClock(NOW);
    sim = await startSimulator({ seed: 7, clock });
    const source = new BinanceSource({ hosts: [`${sim.url}/binance`], clock, network: new Network(clock) });
    const store = fileStore();
    let outage = false;
    const onProgress = (p: { windowsDone: number }): void => {
      // Every host goes down once a few windows are stored: the windows on the wire fail.
      if (outage || p.windowsDone < 5) return;
      outage = true;
      for (const url of sim!.urls) sim!.outage(new URL(url).port, 60 * M);
    };
    await expect(
      backfill({ store, source, clock, retry: NO_RETRY }, { key, from: FROM, to: TO }, { onProgress }),
    ).rejects.toThrow();
    const id = store.series.find(key)!.id;
    const failed = store.holes.list(id).filter((h) => h.cause === 'fetch_failed');
    expect(failed.length).toBeGreaterThan(0);
    // Every window is either all there or inside a failed range: none half-written.
    const truth = truthCandles(sim, 'BTCUSDT', FROM, TO);
    const inFailed = (ts: number): boolean => failed.some((h) => ts >= h.fromTs && ts < h.toTs);
    for (const window of source.windows('1m', FROM, TO)) {
      const expected = truth.filter((c) => c.ts >= window.from && c.ts < window.to);
      const stored = store.candles.range(id, window.from, window.to);
      if (inFailed(window.from)) expect(stored).toEqual([]);
      else expect(stored).toEqual(expected);
    }
    expect(verifyStore(store, clock.now()).findings).toEqual([]);

    // After the outage, as a new run would (a fresh client: no breaker still open from the outage).
    await clock.advance(60 * M);
    const later = new BinanceSource({ hosts: [`${sim.url}/binance`], clock, network: new Network(clock) });
    await backfill({ store, source: later, clock }, { key, from: FROM, to: TO });
    expect(store.candles.range(id, FROM, TO)).toEqual(truth);
    expect(store.holes.list(id).filter((h) => h.cause === 'fetch_failed')).toEqual([]);
  });
});
