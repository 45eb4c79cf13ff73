/**
 * The evidence rules (engine/evidence.ts), each against the simulator over loopback and a real store:
 * a capped page is not the end of the data, a failure is not a look, one look does not settle a hole,
 * a second look counts only when it comes late enough and is aimed at the hole, and a settled hole
 * gets its late look.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import { ManualClock } from '../net/clock.js';
import { Store } from '../store/store.js';
import { BinanceSource } from '../sources/binance.js';
import { Network } from '../net/network.js';
import { backfill } from './backfill.js';
import { DEFAULT_EVIDENCE } from './evidence.js';
import { observeWindow, unlookedHole } from './hole-ledger.js';
import { verifyStore } from './ledger-verify.js';
import { openTempStore } from '../test-support/temp-store.js';
import { truthCandles } from '../test-support/truth.js';
import { VenueTruth } from '../simulator/truth.js';
import { assetByBinanceSymbol } from '../simulator/instruments.js';

const NOW = Date.parse('2024-06-01T00:00:00Z');
const M = 60_000;
const MAINTENANCE = new VenueTruth(7, 'binance', assetByBinanceSymbol('BTCUSDT')!).nextMaintenance(
  Date.parse('2024-01-01T00:00:00Z'),
)!;
/** 600 real candles, the maintenance window, then 300 more: one request window holds it all. */
const FROM = MAINTENANCE.from - 600 * M;
const TO = MAINTENANCE.to + 300 * M;
const key = { source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' as const };
const NO_RETRY = { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxTotalMs: 1 };

describe('evidence rules against the simulator', () => {
  let sim: Simulator;
  let store: Store;
  let closeStore: () => void;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock(NOW);
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
    retry: NO_RETRY,
    source: new BinanceSource({ hosts: [`${sim.url}/binance`], clock, network: new Network(clock) }),
  });
  const klines = (): number => sim.log.since().filter((e) => e.path.endsWith('/api/v3/klines')).length;
  const holes = (seriesId: number) =>
    store.holes.list(seriesId).map((h) => ({ from: h.fromTs, to: h.toTs, state: h.state, cause: h.cause }));

  it('a server capping pages below the limit asked: every candle it has is stored, and the real hole is settled only by the second look', async () => {
    sim.faults.add({ kind: 'short_page', rows: 137, route: '/binance/api/v3/klines' });
    const first = await backfill(deps(), { key, from: FROM, to: TO });
    expect(store.candles.range(first.seriesId, FROM, TO)).toEqual(truthCandles(sim, 'BTCUSDT', FROM, TO));
    expect(holes(first.seriesId)).toEqual([
      { from: MAINTENANCE.from, to: MAINTENANCE.to, state: 'open', cause: 'source_gap' },
    ]);

    await clock.advance(DEFAULT_EVIDENCE.secondLookAfterMs);
    const sent = klines();
    await backfill(deps(), { key, from: FROM, to: TO });
    expect(holes(first.seriesId)).toEqual([
      { from: MAINTENANCE.from, to: MAINTENANCE.to, state: 'confirmed_empty', cause: 'source_gap' },
    ]);
    // The second look is one request aimed at the hole (a capped page of rows after it ends the look).
    expect(klines() - sent).toBe(1);

    const settled = klines();
    await backfill(deps(), { key, from: FROM, to: TO });
    expect(klines()).toBe(settled);
    expect(verifyStore(store, clock.now()).findings).toEqual([]);
  });

  it('a second look sooner than the rule allows does not settle a hole', async () => {
    const first = await backfill(deps(), { key, from: FROM, to: TO });
    await clock.advance(DEFAULT_EVIDENCE.secondLookAfterMs - M);
    await backfill(deps(), { key, from: FROM, to: TO });
    expect(store.holes.list(first.seriesId)).toMatchObject([
      { fromTs: MAINTENANCE.from, state: 'open', looks: 1, lookedAt: NOW },
    ]);
    await clock.advance(M);
    await backfill(deps(), { key, from: FROM, to: TO });
    expect(store.holes.list(first.seriesId)).toMatchObject([
      {
        fromTs: MAINTENANCE.from,
        state: 'confirmed_empty',
        looks: 2,
        settledAt: NOW + DEFAULT_EVIDENCE.secondLookAfterMs,
      },
    ]);
  });

  it('a failed request is never a look: the whole range stays open as fetch_failed with the error, then fills', async () => {
    for (const url of sim.urls) sim.outage(new URL(url).port, 30 * M);
    await expect(backfill(deps(), { key, from: FROM, to: TO })).rejects.toThrow();
    const series = store.series.find(key)!;
    expect(store.holes.list(series.id)).toMatchObject([
      { fromTs: FROM, toTs: TO, state: 'open', cause: 'fetch_failed', looks: 0 },
    ]);
    expect(store.holes.list(series.id)[0]!.lastError).toBeTruthy();
    expect(verifyStore(store, clock.now()).findings).toEqual([]);

    await clock.advance(30 * M);
    await backfill(deps(), { key, from: FROM, to: TO });
    expect(store.candles.range(series.id, FROM, TO)).toEqual(truthCandles(sim, 'BTCUSDT', FROM, TO));
    // The answered look is the first one: the hole is open, not settled.
    expect(holes(series.id)).toEqual([
      { from: MAINTENANCE.from, to: MAINTENANCE.to, state: 'open', cause: 'source_gap' },
    ]);
  });

  it('a truncated or malformed body is never a look either', async () => {
    sim.faults.add({ kind: 'truncated', route: '/binance/api/v3/klines', count: 1 });
    await expect(backfill(deps(), { key, from: FROM, to: TO })).rejects.toThrow();
    sim.faults.add({ kind: 'malformed', route: '/binance/api/v3/klines', count: 1 });
    await clock.advance(DEFAULT_EVIDENCE.secondLookAfterMs);
    await expect(backfill(deps(), { key, from: FROM, to: TO })).rejects.toThrow();
    const series = store.series.find(key)!;
    expect(store.holes.list(series.id)).toMatchObject([
      { fromTs: FROM, toTs: TO, state: 'open', cause: 'fetch_failed', looks: 0, attempts: 2 },
    ]);
    expect(store.candles.count(series.id, FROM, TO)).toBe(0);
  });
});

describe('the second look', () => {
  const hole = { from: 100 * M, to: 110 * M };
  const firstLook = (at: number) => observeWindow([], { from: 0, to: 200 * M }, [{ ...hole, cause: 'source_gap' }], at);

  it('settles the hole when it is aimed at it and late enough', () => {
    const [seen] = firstLook(NOW);
    const [settled] = observeWindow(
      [seen!],
      hole,
      [{ ...hole, cause: 'source_gap' }],
      NOW + DEFAULT_EVIDENCE.secondLookAfterMs,
    );
    expect(settled).toMatchObject({
      ...hole,
      state: 'confirmed_empty',
      looks: 2,
      settledAt: NOW + DEFAULT_EVIDENCE.secondLookAfterMs,
    });
  });

  it('does not when its request starts before the hole (a look through a wider window)', () => {
    const [seen] = firstLook(NOW);
    const [after] = observeWindow([seen!], { from: 0, to: 200 * M }, [{ ...hole, cause: 'source_gap' }], NOW + 60 * M);
    expect(after).toMatchObject({ state: 'open', looks: 1, lookedAt: NOW });
  });

  it('does not count for a range the first look never covered', () => {
    const [seen] = firstLook(NOW);
    const wider = { from: 100 * M, to: 120 * M };
    const after = observeWindow(
      [seen!],
      wider,
      [{ ...wider, cause: 'source_gap' }],
      NOW + DEFAULT_EVIDENCE.secondLookAfterMs,
    );
    expect(after.map((h) => ({ from: h.from, to: h.to, state: h.state }))).toEqual([
      { ...hole, state: 'confirmed_empty' },
      { from: 110 * M, to: 120 * M, state: 'open' },
    ]);
  });

  it('a range never looked at (history not fetched, a failed fetch) gets its first look, not its second', () => {
    const [queued] = [unlookedHole(hole, 'fetch_failed', NOW, 'HTTP 503', 3)];
    const [after] = observeWindow(
      [queued!],
      hole,
      [{ ...hole, cause: 'source_gap' }],
      NOW + DEFAULT_EVIDENCE.secondLookAfterMs,
    );
    expect(after).toMatchObject({ state: 'open', cause: 'source_gap', looks: 1, attempts: 4, lastError: null });
  });

  it('schedules a late look a day after settling a recent hole, none for an old one', () => {
    const [seen] = firstLook(hole.to + M);
    const at = hole.to + M + DEFAULT_EVIDENCE.secondLookAfterMs;
    const [recent] = observeWindow([seen!], hole, [{ ...hole, cause: 'source_gap' }], at);
    expect(recent!.nextAttemptTs).toBe(at + DEFAULT_EVIDENCE.lateLookAfterMs);
    const [old] = observeWindow(
      [seen!],
      hole,
      [{ ...hole, cause: 'source_gap' }],
      hole.to + DEFAULT_EVIDENCE.lateLookWithinMs,
    );
    expect(old).toMatchObject({ state: 'confirmed_empty', nextAttemptTs: null });
  });
});
