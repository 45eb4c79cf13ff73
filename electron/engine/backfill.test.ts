import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import { ManualClock } from '../net/clock.js';
import { Store } from '../store/store.js';
import { BinanceSource } from '../sources/binance.js';
import { Network } from '../net/network.js';
import { backfill } from './backfill.js';
import { DEFAULT_EVIDENCE } from './evidence.js';
import { openTempStore } from '../test-support/temp-store.js';
import { truthCandles } from '../test-support/truth.js';
import { VenueTruth } from '../simulator/truth.js';
import { assetByBinanceSymbol } from '../simulator/instruments.js';

const NOW = Date.parse('2024-06-01T00:00:00Z');
/** Two days of 1m candles around the first maintenance window after 2024-01-01 (seed 7). */
const FIRST_MAINTENANCE = new VenueTruth(7, 'binance', assetByBinanceSymbol('BTCUSDT')!).nextMaintenance(
  Date.parse('2024-01-01T00:00:00Z'),
)!;
const FROM = FIRST_MAINTENANCE.from - (FIRST_MAINTENANCE.from % 86_400_000);
const TO = FROM + 2 * 86_400_000;

describe('binance backfill against the simulator', () => {
  let sim: Simulator;
  let store: Store;
  let closeStore: () => void;
  const clock = new ManualClock(NOW);

  beforeEach(async () => {
    sim = await startSimulator({ seed: 7, clock });
    ({ store, close: closeStore } = openTempStore());
  });
  afterEach(async () => {
    closeStore();
    await sim.close();
  });

  const deps = () => ({
    store,
    clock,
    source: new BinanceSource({ hosts: [`${sim.url}/binance`], clock, network: new Network(clock) }),
  });
  const key = { source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' as const };
  /** The same backfill again after the second-look delay: its holes get their aimed second look. */
  const lookAgain = async (request: Parameters<typeof backfill>[1]) => {
    await clock.advance(DEFAULT_EVIDENCE.secondLookAfterMs);
    return backfill(deps(), request);
  };

  it('stores exactly the served candles and reports the maintenance window as a confirmed hole', async () => {
    const windows = sim.truth('binance', 'BTCUSDT').emptyWindows(FROM, TO);
    expect(windows.length).toBeGreaterThan(0);

    const summary = await backfill(deps(), { key, from: FROM, to: TO });
    const expected = truthCandles(sim, 'BTCUSDT', FROM, TO);
    const stored = store.candles.range(summary.seriesId, FROM, TO);
    expect(stored).toEqual(expected);
    expect(summary.candlesStored).toBe(expected.length);
    // One look is not proof: the holes stay open, due for their second look.
    expect(summary.holes.map((h) => ({ from: h.fromTs, to: h.toTs, state: h.state }))).toEqual(
      windows.map((w) => ({ from: w.from, to: w.to, state: 'open' })),
    );
    const second = await lookAgain({ key, from: FROM, to: TO });
    expect(second.requests).toBe(windows.length);
    expect(second.holes.map((h) => ({ from: h.fromTs, to: h.toTs, state: h.state }))).toEqual(
      windows.map((w) => ({ from: w.from, to: w.to, state: 'confirmed_empty' })),
    );
  });

  it('records a maintenance window that straddles two request windows as one hole', async () => {
    const w = FIRST_MAINTENANCE;
    // Request windows are 1000 candles from `from`: put a window edge 5 minutes into the maintenance.
    const from = w.from + 5 * 60_000 - 1000 * 60_000;
    await backfill(deps(), { key, from, to: w.to + 3_600_000 });
    const summary = await lookAgain({ key, from, to: w.to + 3_600_000 });
    expect(summary.holes.map((h) => ({ from: h.fromTs, to: h.toTs, state: h.state }))).toEqual([
      { from: w.from, to: w.to, state: 'confirmed_empty' },
    ]);
  });

  it('sends one request per open hole when run again, and none once they are settled', async () => {
    await backfill(deps(), { key, from: FROM, to: TO });
    const holes = sim.truth('binance', 'BTCUSDT').emptyWindows(FROM, TO).length;
    expect((await backfill(deps(), { key, from: FROM, to: TO })).requests).toBe(holes);
    await lookAgain({ key, from: FROM, to: TO });
    const before = sim.log.since().length;
    const again = await backfill(deps(), { key, from: FROM, to: TO });
    expect(again.candlesStored).toBe(0);
    expect(again.requests).toBe(0);
    expect(sim.log.since().length).toBe(before);
  });

  it('starts at the listing when the range begins before it, and records the range before as before_listing', async () => {
    const listing = sim.truth('binance', 'NEWUSDT').asset.listedAt;
    const from = listing - 3 * 3600_000;
    const to = listing + 3 * 3600_000;
    await backfill(deps(), { key: { ...key, symbol: 'NEWUSDT' }, from, to });
    const summary = await lookAgain({ key: { ...key, symbol: 'NEWUSDT' }, from, to });
    const stored = store.candles.range(summary.seriesId, from, to);
    expect(stored[0]!.ts).toBe(listing);
    expect(stored).toEqual(truthCandles(sim, 'NEWUSDT', from, to));
    expect(summary.holes[0]).toMatchObject({
      fromTs: from,
      toTs: listing,
      state: 'confirmed_empty',
      cause: 'before_listing',
    });
  });

  it('never stores the still-forming candle', async () => {
    const now = clock.now();
    const summary = await backfill(deps(), { key, from: now - 10 * 60_000, to: now + 3600_000 });
    const stored = store.candles.range(summary.seriesId, now - 3600_000, now + 3600_000);
    expect(stored.length).toBeGreaterThan(0);
    for (const c of stored) expect(c.ts + 60_000).toBeLessThanOrEqual(now);
  });

  it('fails on an unknown symbol with the server message and writes nothing', async () => {
    await expect(backfill(deps(), { key: { ...key, symbol: 'NOPEUSDT' }, from: FROM, to: TO })).rejects.toThrow(
      /Invalid symbol/,
    );
    expect(store.series.list()).toEqual([]);
  });
});
