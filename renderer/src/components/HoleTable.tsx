/** A series' hole ledger: each hole's range, state, reason, retries, and a button to backfill it now. */
import { useState } from 'react';
import type { SeriesView } from '../../../shared/contract';
import type { Hole, HoleState, Job } from '../../../shared/domain';
import { candleCount } from '../../../shared/timeframe';
import { bridge } from '../bridge';
import { jobProgressed } from '../state/jobs-store';
import { causeText } from '../view/coverage';
import { ActionsColumnHeader } from './ActionsColumnHeader';
import { StatusBadge, type Tone } from './StatusBadge';
import { Time } from './Time';
import { EmptyState } from './EmptyState';
import { formatCount, formatRange, formatUtcRange } from '../format';

const SHOWN = 50;
const STATE: Record<HoleState, { label: string; tone: Tone }> = {
  open: { label: 'open', tone: 'bad' },
  confirmed_empty: { label: 'confirmed empty', tone: 'quiet' },
  market_closed: { label: 'market closed', tone: 'quiet' },
};
const ORDER: Record<HoleState, number> = { open: 0, confirmed_empty: 1, market_closed: 2 };

function BackfillHole({ series, hole }: { series: SeriesView; hole: Hole }) {
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);
  const start = async (): Promise<void> => {
    try {
      const started = await bridge.invoke('backfill:start', {
        source: series.source,
        symbol: series.symbol,
        timeframe: series.timeframe,
        from: hole.fromTs,
        to: hole.toTs,
      });
      jobProgressed(started);
      setJob(started);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  if (job) return <span className="small muted">queued</span>;
  return (
    <>
      <button
        className="small"
        onClick={() => void start()}
        data-testid="backfill-hole"
        title="Fetch this range again now, whatever its state"
      >
        Backfill
      </button>
      {error && <span className="error-text small">{error}</span>}
    </>
  );
}

export function HoleTable({ series, holes, now }: { series: SeriesView; holes: Hole[] | null; now: number }) {
  const [withClosed, setWithClosed] = useState(false);
  const [all, setAll] = useState(false);
  if (holes === null) return <p className="muted">Loading holes…</p>;
  const closed = holes.filter((h) => h.state === 'market_closed').length;
  const listed = holes
    .filter((h) => withClosed || h.state !== 'market_closed')
    .sort((a, b) => ORDER[a.state] - ORDER[b.state] || b.fromTs - a.fromTs);
  if (!listed.length && !closed) {
    return (
      <EmptyState title="No holes">
        <p className="muted">
          Every expected candle of this series is stored or not fetched yet. Holes the engine finds are listed here with
          their reason.
        </p>
      </EmptyState>
    );
  }
  return (
    <div className="panel table-wrap">
      {closed > 0 && (
        <div className="panel-body small">
          <label className="check">
            <input type="checkbox" checked={withClosed} onChange={(e) => setWithClosed(e.target.checked)} /> Show{' '}
            {formatCount(closed)} market-closed ranges
          </label>
        </div>
      )}
      {listed.length === 0 ? (
        <p className="panel-body muted">No open or confirmed-empty holes: only the market's closed hours.</p>
      ) : (
        <table className="grid" aria-label="Holes" data-testid="hole-table">
          <thead>
            <tr>
              <th>Range</th>
              <th className="num">Candles</th>
              <th>State</th>
              <th>Why</th>
              <th className="num">Attempts</th>
              <th className="num" title="Answers that showed the range empty: two, ten minutes apart, settle it">
                Empty looks
              </th>
              <th>Next look</th>
              <ActionsColumnHeader />
            </tr>
          </thead>
          <tbody>
            {(all ? listed : listed.slice(0, SHOWN)).map((h) => (
              <tr key={h.id} data-testid="hole-row" data-state={h.state}>
                <td title={formatUtcRange(h.fromTs, h.toTs)}>{formatRange(h.fromTs, h.toTs)}</td>
                <td className="num">{formatCount(candleCount(series.timeframe, h.fromTs, h.toTs))}</td>
                <td>
                  <StatusBadge tone={STATE[h.state].tone} label={STATE[h.state].label} />
                </td>
                <td className="small">
                  {causeText(h.cause)}
                  {h.lastError && <div className="error-text">{h.lastError}</div>}
                </td>
                <td className="num">{h.attempts}</td>
                <td className="num">{h.looks}</td>
                <td className="small">
                  {h.nextAttemptTs === null ? (
                    '—'
                  ) : h.nextAttemptTs <= now ? (
                    'due now'
                  ) : (
                    <Time ts={h.nextAttemptTs} style="short" now={now} />
                  )}
                  {h.state === 'confirmed_empty' && h.nextAttemptTs !== null && <div className="muted">late look</div>}
                </td>
                <td>
                  <BackfillHole series={series} hole={h} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!all && listed.length > SHOWN && (
        <div className="panel-body">
          <button className="small" onClick={() => setAll(true)}>
            Show all {formatCount(listed.length)}
          </button>
        </div>
      )}
    </div>
  );
}
