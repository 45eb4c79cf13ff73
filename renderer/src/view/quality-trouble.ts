/**
 * A quality report's condition and the order "by trouble" for the Quality page: stored data that
 * other data contradicts first, then data missing, then what the source sent broken, then what only
 * deserves a look (revisions, flagged candles). Pure.
 */
import type { QualityReport } from '../../../shared/quality';

export type QualityCondition = 'disagrees' | 'holes' | 'rejected' | 'revised' | 'flagged' | 'ok' | 'empty';

const RANK: Record<QualityCondition, number> = {
  disagrees: 0,
  holes: 1,
  rejected: 2,
  revised: 3,
  flagged: 4,
  ok: 5,
  empty: 6,
};

export const QUALITY_LABEL: Record<QualityCondition, string> = {
  disagrees: 'disagrees',
  holes: 'open holes',
  rejected: 'rejected candles',
  revised: 'revised',
  flagged: 'flagged',
  ok: 'ok',
  empty: 'no data yet',
};

/** The numbers a row shows and the ranking reads. */
export interface QualityTally {
  /** Candles in holes still to repair. */
  openHoleCandles: number;
  rejected: number;
  /** Flagged return and volume outliers, and flat runs. */
  anomalies: number;
  timeframeMismatches: number;
  timeframesCompared: number;
  sourceDeviations: number;
}

export function qualityTally(r: QualityReport): QualityTally {
  const a = r.anomalies;
  return {
    openHoleCandles: r.holes.filter((h) => h.state === 'open').reduce((n, h) => n + h.candles, 0),
    rejected: r.rejected.reduce((n, x) => n + x.candles, 0),
    anomalies: a.returnOutliers + a.volumeOutliers + a.flatRuns,
    timeframeMismatches: r.timeframes.reduce((n, t) => n + t.mismatches, 0),
    timeframesCompared: r.timeframes.reduce((n, t) => n + t.compared, 0),
    sourceDeviations: r.sources?.deviations ?? 0,
  };
}

export function qualityCondition(r: QualityReport, t: QualityTally = qualityTally(r)): QualityCondition {
  if (t.timeframeMismatches > 0 || t.sourceDeviations > 0) return 'disagrees';
  if (t.openHoleCandles > 0) return 'holes';
  if (t.rejected > 0) return 'rejected';
  if (r.revisions.count > 0) return 'revised';
  if (t.anomalies > 0) return 'flagged';
  if (r.completeness.expected === 0 && r.completeness.stored === 0) return 'empty';
  return 'ok';
}

export interface RankedQuality {
  report: QualityReport;
  tally: QualityTally;
  condition: QualityCondition;
}

export function qualityByTrouble(reports: QualityReport[]): RankedQuality[] {
  return reports
    .map((report) => {
      const tally = qualityTally(report);
      return { report, tally, condition: qualityCondition(report, tally) };
    })
    .sort(
      (a, b) =>
        RANK[a.condition] - RANK[b.condition] ||
        b.tally.timeframeMismatches +
          b.tally.sourceDeviations -
          (a.tally.timeframeMismatches + a.tally.sourceDeviations) ||
        b.tally.openHoleCandles - a.tally.openHoleCandles ||
        b.tally.rejected - a.tally.rejected ||
        b.report.revisions.count - a.report.revisions.count ||
        b.tally.anomalies - a.tally.anomalies ||
        (a.report.completeness.ratio ?? 1) - (b.report.completeness.ratio ?? 1) ||
        a.report.symbol.localeCompare(b.report.symbol) ||
        a.report.seriesId - b.report.seriesId,
    );
}
