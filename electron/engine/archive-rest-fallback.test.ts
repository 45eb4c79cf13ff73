/**
 * The REST copy of an archive file that could not be used: fetched from the moment it is added,
 * committed only once released (the files before it stored), in order; a window that cannot be
 * fetched is handed back with every window after it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import { ManualClock } from '../net/clock.js';
import { Network } from '../net/network.js';
import { BinanceSource } from '../sources/binance.js';
import { ArchiveRestFallback, type RestFallbackOptions } from './archive-rest-fallback.js';
import { truthCandles } from '../test-support/truth.js';
import type { Range } from './hole-ledger.js';
import type { Candle } from '../../shared/domain.js';

const NOW = Date.parse('2025-02-05T10:00:00Z');
const FROM = Date.UTC(2024, 11, 1);
const TO = FROM + 5 * 1000 * 60_000;

describe('ArchiveRestFallback', () => {
  let sim: Simulator;
  let source: BinanceSource;
  const clock = new ManualClock(NOW);
  let committed: Array<{ window: Range; candles: Candle[] }>;

  beforeEach(async () => {
    sim = await startSimulator({ seed: 7, clock });
    source = new BinanceSource({ hosts: [`${sim.url}/binance`], clock, network: new Network(clock) });
    committed = [];
  });
  afterEach(() => sim.close());

  const fallback = (over: Partial<RestFallbackOptions> = {}): ArchiveRestFallback =>
    new ArchiveRestFallback({
      source,
      clock,
      liveEdge: Number.MAX_SAFE_INTEGER,
      symbol: 'BTCUSDT',
      timeframe: '1m',
      commit: (window, result) => committed.push({ window, candles: result.candles }),
      ...over,
    });
  const klines = (): number => sim.log.since().filter((e) => e.path.endsWith('/api/v3/klines')).length;

  it('fetches a file as soon as it is added, and stores it only once released, oldest window first', async () => {
    const rest = fallback();
    const windows = source.windows('1m', FROM, TO);
    rest.add('2024-12', windows);
    await expect.poll(klines).toBe(windows.length);
    expect(committed).toEqual([]);

    expect(await rest.release('2024-12')).toEqual([]);
    expect(committed.map((c) => c.window)).toEqual(windows);
    expect(committed.flatMap((c) => c.candles)).toEqual(truthCandles(sim, 'BTCUSDT', FROM, TO));
    expect(rest.requests).toBe(windows.length);
  });

  it('hands back the window it could not fetch and every window after it, storing none of them', async () => {
    sim.faults.add({ kind: 'server_error', route: '/binance/api/v3/klines', status: 503, count: 1 });
    const rest = fallback({ concurrency: 1, retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxTotalMs: 0 } });
    const windows = source.windows('1m', FROM, TO);
    rest.add('2024-12', windows);
    expect(await rest.release('2024-12')).toEqual(windows);
    expect(committed).toEqual([]);
    // Stopped at the failure: no request after it.
    expect(klines()).toBe(1);
  });
});
