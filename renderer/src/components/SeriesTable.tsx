/** Every series, the one needing attention first: state, freshness, completeness, open holes. */
import type { SeriesView } from '../../../shared/contract';
import { CONDITION_LABEL, type RankedSeries, type SeriesCondition } from '../view/series-trouble';
import { hrefOf, navigate } from '../routing/route';
import { ActionsColumnHeader } from './ActionsColumnHeader';
import { StatusBadge, type Tone } from './StatusBadge';
import { Time } from './Time';
import { SeriesActions } from './SeriesActions';
import { formatCount, formatPercent } from '../format';

const TONE: Record<SeriesCondition, Tone> = {
  failing: 'bad',
  stale: 'warn',
  holes: 'warn',
  backfilling: 'busy',
  paused: 'quiet',
  ok: 'ok',
};

function Freshness({ s, now }: { s: SeriesView; now: number }) {
  if (s.lastTs === null) return <span className="muted">no candles yet</span>;
  const behind = s.freshness.candlesBehind;
  // Quiet when fresh: just the time. Loud when behind: how many candles.
  return (
    <span className="nowrap">
      <Time ts={s.lastTs} style="short" now={now} />
      {behind > 1 && <span className="error-text"> · {formatCount(behind)} behind</span>}
    </span>
  );
}

export function SeriesTable({ ranked, now }: { ranked: RankedSeries[]; now: number }) {
  return (
    <table className="grid series-table" aria-label="Series by trouble">
      <thead>
        <tr>
          <th>State</th>
          <th>Series</th>
          <th>Last candle</th>
          <th className="num">Complete</th>
          <th className="num">Open holes</th>
          <th className="num">Candles</th>
          <ActionsColumnHeader />
        </tr>
      </thead>
      <tbody>
        {ranked.map(({ series: s, condition }) => (
          <tr
            key={s.id}
            className="clickable"
            data-testid="series-row"
            data-condition={condition}
            tabIndex={0}
            onClick={(e) =>
              !(e.target as HTMLElement).closest('button, a') && navigate({ page: 'series', seriesId: s.id })
            }
            onKeyDown={(e) =>
              e.key === 'Enter' && e.target === e.currentTarget && navigate({ page: 'series', seriesId: s.id })
            }
          >
            <td>
              <StatusBadge tone={TONE[condition]} label={CONDITION_LABEL[condition]} testId="series-condition" />
            </td>
            <td>
              <a href={hrefOf({ page: 'series', seriesId: s.id })} tabIndex={-1}>
                <strong>{s.symbol}</strong>
              </a>{' '}
              {s.timeframe} <span className="muted">· {s.source}</span>
              {s.lastError && (
                <div className="small error-text row-error" title={s.lastError}>
                  {s.lastError}
                </div>
              )}
            </td>
            <td>
              <Freshness s={s} now={now} />
            </td>
            <td className="num" data-testid="series-completeness">
              {formatPercent(s.completeness)}
            </td>
            <td className={s.openHoles > 0 ? 'num error-text' : 'num'}>{s.openHoles}</td>
            <td className="num">{formatCount(s.candleCount)}</td>
            <td>
              <SeriesActions series={s} compact />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
