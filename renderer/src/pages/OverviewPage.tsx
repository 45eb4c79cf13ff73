/**
 * Health at a glance: a tile per source above every series sorted by trouble. A new user sees what
 * to do first: add a series.
 */
import { useEffect, useMemo, useState } from 'react';
import { useHealthStore } from '../state/health-store';
import { useSeriesStore } from '../state/series-store';
import { useJobsStore } from '../state/jobs-store';
import { useStaleThreshold } from '../state/settings-store';
import { backfillingSeries, byTrouble } from '../view/series-trouble';
import { useNow } from '../hooks/use-now';
import { SourceTile } from '../components/SourceTile';
import { SeriesTable } from '../components/SeriesTable';
import { AddSeriesForm } from '../components/AddSeriesForm';
import { AddSeriesPanel } from '../components/AddSeriesPanel';
import { EmptyState } from '../components/EmptyState';
import { plural } from '../format';
import { historySnapshot, useHistoryStore } from '../state/history-store';
import { SloPanel } from '../components/history/SloPanel';
import { FleetPanel } from '../components/FleetPanel';

function Summary() {
  const status = useHealthStore((s) => s.status);
  if (!status) return null;
  return (
    <span className="sub num" data-testid="overview-summary">
      {status.seriesUpToDate} of {status.seriesTotal} series up to date · {plural(status.openHoles, 'open hole')} ·{' '}
      {plural(status.activeAlerts, 'alert')}
    </span>
  );
}

export function OverviewPage() {
  const now = useNow(15_000);
  const sources = useHealthStore((s) => s.sources);
  const sourcesLoaded = useHealthStore((s) => s.sourcesLoaded);
  const healthError = useHealthStore((s) => s.error);
  const series = useSeriesStore((s) => s.series);
  const loaded = useSeriesStore((s) => s.loaded);
  const error = useSeriesStore((s) => s.error);
  const jobs = useJobsStore((s) => s.jobs);
  const stale = useStaleThreshold();
  const ranked = useMemo(() => byTrouble(series, stale, backfillingSeries(jobs)), [series, stale, jobs]);
  const [adding, setAdding] = useState(false);
  const slo = useHistoryStore((s) => s.overview?.slo ?? null);
  // Soon, not now: the series list is what a user waits for first, and the engine answers one at a time.
  useEffect(() => historySnapshot.soon(), []);

  return (
    <main className="page" data-testid="overview-page">
      <div className="page-header">
        <div>
          <h1>Overview</h1>
          <Summary />
        </div>
        {series.length > 0 && (
          <button onClick={() => setAdding((a) => !a)} aria-expanded={adding}>
            {adding ? 'Close' : 'Add series'}
          </button>
        )}
      </div>
      {(healthError || error) && (
        <p className="notice" data-tone="bad" role="alert">
          {error ?? healthError}
        </p>
      )}
      {slo && series.length > 0 && <SloPanel slo={slo} />}
      <section className="tiles" aria-label="Sources">
        {sources.map((h) => (
          <SourceTile key={h.source} health={h} now={now} />
        ))}
        {sourcesLoaded && sources.length === 0 && (
          <p className="muted tiles-empty">Sources appear here once a series uses them.</p>
        )}
      </section>
      <FleetPanel />
      {adding && series.length > 0 && <AddSeriesPanel />}
      {!loaded ? (
        <p className="muted">Loading series…</p>
      ) : series.length === 0 ? (
        <EmptyState title="Nothing collected yet" testId="empty-series">
          <ol>
            <li>Pick a source, a symbol and a timeframe below, and how far back to keep.</li>
            <li>Candlekeep backfills that history, then stores every new closed candle, unattended.</li>
            <li>Watch it here: sources turn loud when they fail, series when they fall behind or have holes.</li>
          </ol>
          <AddSeriesForm />
        </EmptyState>
      ) : (
        <section className="panel table-wrap">
          <SeriesTable ranked={ranked} now={now} />
        </section>
      )}
    </main>
  );
}
