/**
 * A range selected on a gap map, sent straight to a backfill: what it holds, what fetching it costs
 * ('backfill:plan', shown before anything starts) and the button that queues it ('backfill:start').
 */
import { useEffect, useState } from 'react';
import type { BackfillPlan, SeriesView } from '../../../shared/contract';
import type { Job } from '../../../shared/domain';
import { bridge } from '../bridge';
import { jobProgressed } from '../state/jobs-store';
import { useDebounced } from '../hooks/use-debounced';
import type { CoverageTotals } from '../view/coverage';
import type { TimeView } from '../view/time-view';
import { formatCount, formatDuration, formatRange, formatUtcRange, plural } from '../format';

interface RangeBackfillProps {
  series: SeriesView;
  range: TimeView;
  totals: CoverageTotals;
  onZoom: () => void;
  onClear: () => void;
}

export function RangeBackfill({ series, range, totals, onZoom, onClear }: RangeBackfillProps) {
  const settled = useDebounced(range, 250);
  const [plan, setPlan] = useState<BackfillPlan | null>(null);
  const [planError, setPlanError] = useState<string | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { source, symbol, timeframe } = series;
  const key = { source, symbol, timeframe };

  useEffect(() => {
    let current = true;
    bridge
      .invoke('backfill:plan', { source, symbol, timeframe, from: settled.from, to: settled.to })
      .then((p) => current && (setPlan(p), setPlanError(null)))
      .catch((err: Error) => current && setPlanError(err.message));
    return () => {
      current = false;
    };
  }, [source, symbol, timeframe, settled.from, settled.to]);

  const start = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const started = await bridge.invoke('backfill:start', { ...key, from: range.from, to: range.to });
      jobProgressed(started);
      setJob(started);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  // While a drag is still settling, the last plan is for another range: never show it as this one's.
  const current = plan && plan.from === range.from && plan.to === range.to ? plan : null;
  const queued = job && job.from === range.from ? job : null;
  const missing = totals.open + totals.unknown + totals.rejected;
  return (
    <div className="range-bar" data-testid="range-backfill" role="region" aria-label="Selected range">
      <div className="range-facts">
        <strong title={formatUtcRange(range.from, range.to)}>{formatRange(range.from, range.to)}</strong>
        <span className="num">
          {formatCount(totals.expected)} candles expected · {formatCount(totals.stored)} stored ·{' '}
          <span className={missing ? 'error-text' : undefined}>{formatCount(missing)} missing</span>
        </span>
        <span className="num muted" data-testid="range-plan">
          {planError ? (
            <span className="error-text">{planError}</span>
          ) : current ? (
            `Plan: ${formatCount(current.candlesMissing)} to fetch · ${plural(current.requests, 'request')} · weight ${formatCount(current.weight)} of ${formatCount(current.budgetPerMinute)}/min · ~${formatDuration(current.estimatedSeconds * 1000)}`
          ) : (
            'Planning…'
          )}
        </span>
      </div>
      <div className="button-row">
        {queued ? (
          <span data-testid="range-backfill-started">
            Backfill queued · <a href="#/backfill">follow it under Backfill</a>
          </span>
        ) : (
          <button className="primary" onClick={() => void start()} disabled={busy} data-testid="backfill-range">
            {busy ? 'Starting…' : 'Backfill this range'}
          </button>
        )}
        <button onClick={onZoom}>Zoom in</button>
        <button onClick={onClear}>Clear</button>
      </div>
      {error && (
        <p className="error-text small" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
