/**
 * A one-day hostile soak, end to end: the simulator and the engine over loopback HTTP and a real
 * SQLite file, on a manual clock. What a user is promised (every candle, nothing confirmed empty that
 * the venue has, no ban, a clean ledger), and proof that each scripted event really happened.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runSoak, type SoakResult } from './soak.js';
import { soakSchedule } from './schedule.js';
import { soakFailure } from './report.js';

const SEED = 7;
/** The first 12 of the catalog span every source (Binance 1m to 1h, ccxt, CoinGecko, Yahoo) at half the default's cost. */
const SERIES = 12;
let result: SoakResult;

describe('a one-day hostile soak', () => {
  beforeAll(async () => {
    result = await runSoak({ days: 1, faults: 'hostile', seriesCount: SERIES, seed: SEED });
  }, 600_000);

  it('ends with every candle stored as the venues publish it, nothing falsely confirmed, no ban and a clean ledger', () => {
    expect(soakFailure(result)).toBeNull();
    expect(result.completeness).toBe(1);
    for (const c of result.comparisons)
      expect({ series: c.label, matched: c.matched, wrong: c.wrong, extra: c.extra }).toEqual({
        series: c.label,
        matched: c.expected,
        wrong: 0,
        extra: 0,
      });
    expect(Object.keys(result.completenessBySource).sort()).toEqual(['binance', 'ccxt:binance', 'coingecko', 'yahoo']);
    expect(result.falseConfirmations).toEqual([]);
    expect(result.bans).toBe(0);
    expect(result.verifyFindings).toBe(0);
    // Hostile faults cost first tries, and retries win most of them back.
    expect(result.apiSuccessFirstTry).toBeLessThan(0.95);
    expect(result.apiSuccessAfterRetries).toBeGreaterThan(result.apiSuccessFirstTry);
  });

  it('ran the scripted events: every host down at the start, outages, a 429 storm, a restart', () => {
    expect(result.events.map((e) => e.kind)).toEqual(soakSchedule(SEED, 1, 2).map((e) => e.kind));
    expect(result.simulator.refusedAtStart).toBeGreaterThan(0);
    expect(result.simulator.refused).toBeGreaterThan(result.simulator.refusedAtStart);
    expect(result.simulator.stormRateLimited).toBeGreaterThan(0);
    expect(result.restarts).toBe(1);
    expect(result.requestOutcomes['binance rate_limited']).toBeGreaterThan(0);
  });

  it('stored the revised candle with its revised values after first storing the original', () => {
    const revision = result.revision!;
    expect(revision.storedBeforeRevision).toBe(true);
    expect(revision.before!.close).not.toBe(revision.revised.close);
    expect(revision.storedAtEnd).toEqual(revision.revised);
    expect(revision.matchesTruth).toBe(true);
  });
});
