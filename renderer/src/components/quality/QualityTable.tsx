/** Every series' quality in one row each, the one needing a look first; a row opens its report. */
import type { RankedQuality } from '../../view/quality-trouble';
import { hrefOf, navigate, type Route } from '../../routing/route';
import { formatCount, formatPercent } from '../../format';
import { QualityBadge } from './QualityBadge';

/** A count that is quiet at zero and coloured only when it is trouble. */
function Count({ n, tone, testId }: { n: number; tone?: 'bad' | 'warn'; testId?: string }) {
  return (
    <td className="num" data-tone={n > 0 ? tone : undefined} data-testid={testId}>
      {n > 0 ? formatCount(n) : <span className="faint">0</span>}
    </td>
  );
}

function Agreement({ bad, compared, none }: { bad: number; compared: number; none: string }) {
  if (compared === 0 && bad === 0) return <td className="small muted">{none}</td>;
  return (
    <td className="num" data-tone={bad > 0 ? 'bad' : undefined}>
      {formatCount(bad)} <span className="muted small">of {formatCount(compared)}</span>
    </td>
  );
}

export function QualityTable({ ranked }: { ranked: RankedQuality[] }) {
  return (
    <table className="grid quality-table" aria-label="Series by data quality">
      <thead>
        <tr>
          <th>State</th>
          <th>Series</th>
          <th className="num">Complete</th>
          <th className="num" title="Candles in holes still to repair">
            In open holes
          </th>
          <th className="num" title="Distinct candles the source sent broken (quarantined)">
            Rejected
          </th>
          <th className="num" title="Candles the source changed after they closed">
            Revised
          </th>
          <th className="num" title="Price and volume outliers, flat runs">
            Flagged
          </th>
          <th className="num" title="Mismatches with the aggregate of a lower timeframe, of candles compared">
            Timeframes
          </th>
          <th className="num" title="Closes beyond tolerance from other sources, of closes compared">
            Sources
          </th>
        </tr>
      </thead>
      <tbody>
        {ranked.map(({ report: r, tally: t, condition }) => {
          const route: Route = { page: 'series', seriesId: r.seriesId, section: 'quality' };
          return (
            <tr
              key={r.seriesId}
              className="clickable"
              data-testid="quality-row"
              data-series-id={r.seriesId}
              data-condition={condition}
              tabIndex={0}
              onClick={(e) => !(e.target as HTMLElement).closest('a') && navigate(route)}
              onKeyDown={(e) => e.key === 'Enter' && e.target === e.currentTarget && navigate(route)}
            >
              <td>
                <QualityBadge condition={condition} testId="quality-condition" />
              </td>
              <td className="nowrap">
                <a href={hrefOf(route)} tabIndex={-1}>
                  <strong>{r.symbol}</strong>
                </a>{' '}
                {r.timeframe} <span className="muted">· {r.source}</span>
              </td>
              <td
                className="num"
                data-testid="quality-row-completeness"
                title={`${formatCount(r.completeness.stored)} of ${formatCount(r.completeness.expected)} expected candles`}
              >
                {formatPercent(r.completeness.ratio, 2)}
              </td>
              <Count n={t.openHoleCandles} tone="warn" />
              <Count n={t.rejected} tone="warn" testId="quality-row-rejected" />
              <Count n={r.revisions.count} />
              <Count n={t.anomalies} />
              <Agreement
                bad={t.timeframeMismatches}
                compared={t.timeframesCompared}
                none={r.timeframes.length ? 'nothing compared yet' : 'one timeframe'}
              />
              {r.sources ? (
                <Agreement bad={t.sourceDeviations} compared={r.sources.compared} none="nothing compared yet" />
              ) : (
                <td className="small muted">not mapped</td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
