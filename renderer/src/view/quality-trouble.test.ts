import { describe, expect, it } from 'vitest';
import type { QualityReport } from '../../../shared/quality';
import { qualityByTrouble, qualityCondition, qualityTally } from './quality-trouble';

function report(id: number, patch: Partial<QualityReport> = {}): QualityReport {
  return {
    seriesId: id,
    source: 'binance',
    symbol: `S${id}`,
    timeframe: '1m',
    from: 0,
    to: 600_000,
    completeness: { stored: 10, expected: 10, ratio: 1, marketClosed: 0, confirmedEmpty: 0 },
    holes: [],
    rejected: [],
    revisions: { count: 0, lastAt: null },
    anomalies: { returnOutliers: 0, volumeOutliers: 0, flatRuns: 0, flatCandles: 0 },
    timeframes: [],
    sources: null,
    recentFlags: [],
    ...patch,
  };
}

const rejected = (candles: number): QualityReport['rejected'] => [
  { reason: 'low_above_min', candles, lastSeenAt: 1, examples: [] },
];
const openHole = (candles: number): QualityReport['holes'] => [
  { cause: 'fetch_failed', state: 'open', holes: 1, candles },
];
const mismatch = (mismatches: number): QualityReport['timeframes'] => [
  { higherSeriesId: 9, higherTimeframe: '1h', lowerSeriesId: 1, lowerTimeframe: '1m', compared: 24, mismatches },
];
const sources = (deviations: number): QualityReport['sources'] => ({
  asset: 'BTC',
  tolerance: 0.005,
  peers: [{ source: 'coingecko', symbol: 'bitcoin/usd' }],
  comparedSeriesId: 1,
  compared: 50,
  deviations,
  maxDeviation: 0.01,
});

describe('quality trouble', () => {
  it.each<[string, QualityReport, string]>([
    [
      'a timeframe disagreeing with its aggregate',
      report(1, { timeframes: mismatch(2), holes: openHole(5) }),
      'disagrees',
    ],
    ['closes off the other sources', report(1, { sources: sources(1) }), 'disagrees'],
    ['candles in open holes', report(1, { holes: openHole(5), rejected: rejected(1) }), 'holes'],
    [
      'settled holes are no trouble',
      report(1, { holes: [{ cause: 'source_gap', state: 'confirmed_empty', holes: 1, candles: 9 }] }),
      'ok',
    ],
    [
      'candles the source sent broken',
      report(1, { rejected: rejected(3), revisions: { count: 1, lastAt: 5 } }),
      'rejected',
    ],
    ['candles changed after they closed', report(1, { revisions: { count: 2, lastAt: 5 } }), 'revised'],
    [
      'flagged candles',
      report(1, { anomalies: { returnOutliers: 0, volumeOutliers: 1, flatRuns: 0, flatCandles: 0 } }),
      'flagged',
    ],
    [
      'nothing expected or stored yet',
      report(1, { completeness: { stored: 0, expected: 0, ratio: null, marketClosed: 0, confirmedEmpty: 0 } }),
      'empty',
    ],
    ['all clear', report(1, { timeframes: mismatch(0), sources: sources(0) }), 'ok'],
  ])('%s', (_name, r, expected) => {
    expect(qualityCondition(r)).toBe(expected);
  });

  it('tallies what a row shows', () => {
    const t = qualityTally(
      report(1, {
        holes: [...openHole(5), { cause: 'source_gap', state: 'confirmed_empty', holes: 2, candles: 7 }],
        rejected: rejected(3),
        timeframes: mismatch(2),
      }),
    );
    expect(t).toMatchObject({
      openHoleCandles: 5,
      rejected: 3,
      timeframeMismatches: 2,
      timeframesCompared: 24,
      sourceDeviations: 0,
      anomalies: 0,
    });
  });

  it('puts the series that needs a look first, the worst of a kind first', () => {
    const ranked = qualityByTrouble([
      report(1),
      report(2, { rejected: rejected(1) }),
      report(3, { holes: openHole(2) }),
      report(4, { holes: openHole(50) }),
      report(5, { sources: sources(3) }),
      report(6, { completeness: { stored: 8, expected: 10, ratio: 0.8, marketClosed: 0, confirmedEmpty: 0 } }),
      report(7, { revisions: { count: 1, lastAt: 1 } }),
    ]);
    expect(ranked.map((r) => r.report.seriesId)).toEqual([5, 4, 3, 2, 7, 6, 1]);
  });
});
