/**
 * The engine and its ownership port (a fleet's leases): a series lost in the middle of its backfill
 * gets no request more, not even the windows already waiting for the budget; won back, it is planned at
 * once from the ledger and ends equal to the truth.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../test-support/engine-rig.js';
import { truthCandles } from '../test-support/truth.js';
import { verifyStore } from './ledger-verify.js';
import { HOUR_MS } from '../../shared/timeframe.js';
import type { OwnershipChange, SeriesOwnership } from './series-ownership.js';

const START = Date.parse('2024-03-10T00:00:00Z');
const DAY = 24 * HOUR_MS;

/** Leases held or lost at the test's word, as the lease keeper reports them. */
class SwitchedOwnership implements SeriesOwnership {
  private held = new Map<number, AbortController>();
  private readonly listeners = new Set<(change: OwnershipChange) => void>();

  owns(seriesId: number): boolean {
    return this.held.has(seriesId);
  }
  signalFor(seriesId: number): AbortSignal | undefined {
    return this.held.get(seriesId)?.signal;
  }
  onChange(listener: (change: OwnershipChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  win(seriesId: number): void {
    this.held.set(seriesId, new AbortController());
    for (const l of this.listeners) l({ won: [seriesId], lost: [] });
  }
  lose(seriesId: number): void {
    this.held.get(seriesId)?.abort();
    this.held.delete(seriesId);
    for (const l of this.listeners) l({ won: [], lost: [seriesId] });
  }
}

describe('the engine with a fleet’s ownership', () => {
  let rig: EngineRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('stops a series the moment it is lost (its windows waiting for the budget are never sent), and finishes it once won back', async () => {
    const ownership = new SwitchedOwnership();
    // A tight budget (20 weight a minute) makes a month of 1m history take many simulated minutes.
    rig = await engineRig(START, { weightLimit: 20 }, {}, { ownership });
    const keepFrom = START - 30 * DAY;
    const series = rig.store.series.ensure({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, keepFrom, START);
    const other = rig.store.series.ensure({ source: 'binance', symbol: 'ETHUSDT', timeframe: '1h' }, keepFrom, START);
    ownership.win(other.id);
    await rig.engine.start();
    // Not held: nothing is asked for it, while the series held is fetched.
    await rig.run(3 * 60_000, 10_000);
    const klines = (symbol: string): number =>
      rig!.sim.log.since().filter((e) => e.path.endsWith('/klines') && e.query.symbol === symbol).length;
    expect(klines('BTCUSDT')).toBe(0);
    expect(rig.store.candles.count(other.id, keepFrom, START)).toBeGreaterThan(0);

    ownership.win(series.id);
    await rig.run(3 * 60_000, 10_000);
    const storedBefore = rig.store.candles.count(series.id, keepFrom, START);
    expect(storedBefore).toBeGreaterThan(0);
    expect(storedBefore).toBeLessThan(29 * 1440);

    ownership.lose(series.id);
    const askedBefore = klines('BTCUSDT');
    await rig.run(10 * 60_000, 10_000);
    expect(klines('BTCUSDT')).toBe(askedBefore);
    expect(rig.store.candles.count(series.id, keepFrom, START)).toBe(storedBefore);

    ownership.win(series.id);
    await rig.run(60 * 60_000, 60_000);
    expect(rig.store.candles.range(series.id, keepFrom, START)).toEqual(
      truthCandles(rig.sim, 'BTCUSDT', keepFrom, START),
    );
    expect(verifyStore(rig.store, rig.clock.now()).findings).toEqual([]);
  }, 120_000);
});
