/** `candlekeep soak`: bad arguments name the fix (exit 2); a short run prints one JSON object. */
import { describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../../test-support/cli-io.js';

const soak = (args: string[]): Promise<CliRun> => runCli(['soak', ...args]);

describe('candlekeep soak', () => {
  it.each([
    [[], /^candlekeep soak: missing --days: e\.g\. --days 1\n$/],
    [['--days', '0'], /--days '0' must be a whole number from 1 to 60\n$/],
    [['--days', '1.5'], /--days '1\.5' must be a whole number/],
    [['--days', '1', '--faults', 'stormy'], /unknown --faults 'stormy': use none, flaky, hostile, streams\n$/],
    [['--days', '1', '--series-count', '31'], /--series-count '31' must be a whole number from 1 to 30\n$/],
    [['--days', '1', '--seed', 'x'], /--seed 'x' must be a whole number/],
    [['--days', '1', '--hours', '3'], /Unknown option '--hours'/],
  ])('refuses %j with one line naming the fix, exit 2', async (args, message) => {
    const r = await soak(args);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
    expect(r.err.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('prints one JSON object with exactly the documented keys, exit 0 for a clean run', async () => {
    const r = await soak(['--days', '1', '--series-count', '1', '--seed', '3', '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(1);
    const json = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual([
      'days',
      'faults',
      'series',
      'completeness',
      'falseConfirmations',
      'gapRecoveryRate',
      'apiSuccessFirstTry',
      'apiSuccessAfterRetries',
      'responseMsAvg',
      'responseMsP95',
      'bans',
      'rssStartMb',
      'rssDay1Mb',
      'rssEndMb',
      'eventLoopP99Ms',
      'verifyFindings',
    ]);
    expect(json).toMatchObject({
      days: 1,
      faults: 'none',
      series: 1,
      completeness: 1,
      falseConfirmations: 0,
      bans: 0,
      verifyFindings: 0,
    });
    expect(json.rssDay1Mb).toBeGreaterThan(0);
  }, 180_000);
});
