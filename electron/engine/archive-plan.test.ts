import { describe, expect, it } from 'vitest';
import { describePlan, planBackfill, type BackfillPlan } from './archive-plan.js';
import { BinanceSource } from '../sources/binance.js';
import { ManualClock } from '../net/clock.js';
import { Network } from '../net/network.js';
import type { Timeframe } from '../../shared/timeframe.js';

const clock = new ManualClock(0);
const binance = new BinanceSource({ hosts: ['http://127.0.0.1:1'], clock, network: new Network(clock) });
const at = (iso: string): number => Date.parse(iso);

function plan(tf: Timeframe, ranges: Array<[string, string]>, now: string): BackfillPlan {
  return planBackfill({
    symbol: 'BTCUSDT',
    timeframe: tf,
    ranges: ranges.map(([from, to]) => ({ from: at(from), to: at(to) })),
    now: at(now),
    restWindows: (from, to) => binance.windows(tf, from, to),
  });
}

const labels = (p: BackfillPlan): string[] => p.archives.map((a) => `${a.period.granularity} ${a.period.label}`);

describe('planBackfill', () => {
  it('takes whole months, then days up to the start of yesterday, then REST, and cross-checks the newest archived day', () => {
    const p = plan('1m', [['2024-01-10T00:00:00Z', '2024-06-12T10:00:00Z']], '2024-06-12T10:00:00Z');
    expect(labels(p)).toEqual([
      'monthly 2024-01',
      'monthly 2024-02',
      'monthly 2024-03',
      'monthly 2024-04',
      'monthly 2024-05',
      ...Array.from({ length: 10 }, (_, i) => `daily 2024-06-${String(i + 1).padStart(2, '0')}`),
    ]);
    expect(p.archives[0]!.windows).toEqual([{ from: at('2024-01-10T00:00:00Z'), to: at('2024-02-01T00:00:00Z') }]);
    expect(p.rest).toEqual([{ from: at('2024-06-11T00:00:00Z'), to: at('2024-06-12T10:00:00Z') }]);
    expect(p.overlap).toEqual({ from: at('2024-06-10T00:00:00Z'), to: at('2024-06-11T00:00:00Z') });
    expect(p.downloads).toBe(30);
    // 34 hours over REST (3 requests) plus the overlap day (2), against 223 without archives.
    expect(p.restRequests).toBe(5);
    expect(p.restOnlyRequests).toBe(223);
  });

  it('uses daily files for a month whose monthly file is not published yet (first Monday of the next month)', () => {
    const p = plan('1m', [['2024-08-01T00:00:00Z', '2024-09-01T12:00:00Z']], '2024-09-01T12:00:00Z');
    expect(labels(p)).toHaveLength(30);
    expect(labels(p)[0]).toBe('daily 2024-08-01');
    expect(labels(p)[29]).toBe('daily 2024-08-30');
    expect(p.rest).toEqual([{ from: at('2024-08-31T00:00:00Z'), to: at('2024-09-01T12:00:00Z') }]);
  });

  it('fills a hole of a few days in an old month from daily files, not the whole month', () => {
    const p = plan('1m', [['2023-03-05T12:00:00Z', '2023-03-08T00:00:00Z']], '2024-06-12T10:00:00Z');
    expect(labels(p)).toEqual(['daily 2023-03-06', 'daily 2023-03-07']);
    // Half a day is one REST request: no archive is worth downloading for it.
    expect(p.rest).toEqual([{ from: at('2023-03-05T12:00:00Z'), to: at('2023-03-06T00:00:00Z') }]);
  });

  it('uses no archive where it would not save REST requests (1h: a month is one request)', () => {
    const p = plan('1h', [['2020-01-01T00:00:00Z', '2024-06-01T00:00:00Z']], '2024-06-12T10:00:00Z');
    expect(p.archives).toEqual([]);
    expect(p.overlap).toBeNull();
    expect(p.rest).toEqual([{ from: at('2020-01-01T00:00:00Z'), to: at('2024-06-01T00:00:00Z') }]);
    expect(p.restRequests).toBe(p.restOnlyRequests);
  });

  it('takes monthly files for 30m, whose months are two REST requests', () => {
    const p = plan('30m', [['2024-01-01T00:00:00Z', '2024-03-01T00:00:00Z']], '2024-06-12T10:00:00Z');
    expect(labels(p)).toEqual(['monthly 2024-01', 'monthly 2024-02']);
    expect(p.rest).toEqual([]);
  });

  it('plans nothing for nothing missing', () => {
    const p = plan('1m', [], '2024-06-12T10:00:00Z');
    expect(p).toMatchObject({ archives: [], rest: [], overlap: null, downloads: 0, restRequests: 0 });
  });

  it('describes the plan in lines a user can read', () => {
    const lines = describePlan(plan('1m', [['2024-01-10T00:00:00Z', '2024-06-12T10:00:00Z']], '2024-06-12T10:00:00Z'));
    expect(lines).toEqual([
      'plan for binance BTCUSDT 1m:',
      '  archives, monthly: 5 files (2024-01 … 2024-05)',
      '  archives, daily:   10 files (2024-06-01 … 2024-06-10)',
      '  cross-check:       2024-06-10T00:00Z..2024-06-11T00:00Z from BTCUSDT-1m-2024-06-10.zip and over REST',
      '  REST:              2024-06-11T00:00Z..2024-06-12T10:00Z',
      '  requests:          30 archive downloads (no API weight) + 5 REST; REST alone would take 223',
      '  (a missing or corrupt archive file is fetched over REST instead)',
    ]);
  });
});
