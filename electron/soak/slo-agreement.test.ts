/**
 * The dashboard's SLOs and the soak report are two readings of one run: the SLOs from the engine's
 * own database (request buckets, hole log, candles), the soak from its request hook and the
 * simulator's truth. A quarter-day flaky soak with a restart in it must give the same figures.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runSoak, type SoakResult } from './soak.js';

let result: SoakResult;

describe('SLOs against the soak report of the same run', () => {
  beforeAll(async () => {
    result = await runSoak({ days: 0.25, faults: 'flaky', seriesCount: 4, seed: 11 });
  }, 300_000);

  it('counts every request the soak counted, and agrees on first-try success and average response', () => {
    expect(result.storedSlo.requests).toBe(result.requests);
    expect(result.storedSlo.apiSuccess).toBe(result.apiSuccessFirstTry);
    // Flaky faults cost first tries: the agreement is not the trivial 1 = 1.
    expect(result.apiSuccessFirstTry).toBeLessThan(1);
    expect(result.storedSlo.responseMs).toBeCloseTo(result.responseMsAvg, 6);
  });

  it('agrees on completeness and gap recovery', () => {
    expect(result.storedSlo.completeness).toBe(result.completeness);
    expect(result.storedSlo.gapRecovery).toBe(result.gapRecoveryRate);
    expect(result.storedSlo.holesRecoverable).toBe(result.recoverableHoles);
    expect(result.storedSlo.holesRepaired).toBe(result.recoveredHoles);
  });
});
