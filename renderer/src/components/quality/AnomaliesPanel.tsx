/**
 * What the anomaly checks flagged: price moves and volumes far outside the series' usual ones, and
 * runs of identical flat candles. Flags are annotations (the candles stay stored): often a real
 * market move, sometimes a bad print worth a look on the chart.
 */
import type { QualityReport } from '../../../../shared/quality';
import { formatCount, plural } from '../../format';
import { FlagList } from './FlagList';
import { QualityPanel } from './QualityPanel';

const KINDS = new Set(['return_outlier', 'volume_outlier', 'flat_run']);

export function AnomaliesPanel({ report }: { report: QualityReport }) {
  const a = report.anomalies;
  const total = a.returnOutliers + a.volumeOutliers + a.flatRuns;
  const flags = report.recentFlags.filter((f) => KINDS.has(f.kind));
  return (
    <QualityPanel
      title="Flagged candles"
      wide
      figure={total ? formatCount(total) : undefined}
      testId="quality-anomalies"
    >
      <p className="small num">
        {plural(a.returnOutliers, 'price-move outlier')} · {plural(a.volumeOutliers, 'volume outlier')} ·{' '}
        {plural(a.flatRuns, 'flat run')}
        {a.flatRuns > 0 && ` (${plural(a.flatCandles, 'candle')})`}
      </p>
      {total === 0 ? (
        <p className="muted">
          Nothing flagged: no close-to-close move or volume far outside this series&apos; usual range, and no run of
          identical flat candles.
        </p>
      ) : flags.length ? (
        <>
          <FlagList flags={flags} timeframe={report.timeframe} />
          {flags.length < total && (
            <p className="small muted">
              The newest {flags.length} shown. Click a time to see those candles on the chart.
            </p>
          )}
        </>
      ) : (
        <p className="muted small">The newest flags on this series are of other kinds (below).</p>
      )}
    </QualityPanel>
  );
}
