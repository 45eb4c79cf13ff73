/**
 * One series: facts, its gap map (large, zoomable, selectable), its holes with the reason for each
 * and a backfill button, its data-quality report, its jobs and its recent events.
 */
import { useEffect, useMemo, useState } from 'react';
import type { Hole } from '../../../shared/domain';
import type { EngineEvent } from '../../../shared/domain';
import { bridge } from '../bridge';
import { useRevision, useSeriesStore, useSeriesView } from '../state/series-store';
import { useJobsStore } from '../state/jobs-store';
import { useStaleThreshold } from '../state/settings-store';
import { backfillingSeries, CONDITION_LABEL, seriesCondition } from '../view/series-trouble';
import { useNow } from '../hooks/use-now';
import type { SeriesSection } from '../routing/route';
import { GapStrip } from '../components/GapStrip';
import { GapLegend } from '../components/GapLegend';
import { SeriesActions } from '../components/SeriesActions';
import { HoleTable } from '../components/HoleTable';
import { JobList } from '../components/JobList';
import { EventTable } from '../components/EventTable';
import { QualitySection } from '../components/quality/QualitySection';
import { SeriesHistorySection } from '../components/history/SeriesHistorySection';
import { Time } from '../components/Time';
import { formatCount, formatPercent } from '../format';

export function SeriesDetailPage({ seriesId, section }: { seriesId: number; section: SeriesSection | null }) {
  const series = useSeriesView(seriesId);
  const all = useSeriesStore((s) => s.series);
  const loaded = useSeriesStore((s) => s.loaded);
  const revision = useRevision(seriesId);
  const allJobs = useJobsStore((s) => s.jobs);
  const stale = useStaleThreshold();
  const now = useNow(15_000);
  const [holes, setHoles] = useState<Hole[] | null>(null);
  const [events, setEvents] = useState<EngineEvent[]>([]);
  const jobs = useMemo(
    () => allJobs.filter((j) => j.seriesId === seriesId && (j.kind !== 'tail' || j.state !== 'done')).slice(0, 12),
    [allJobs, seriesId],
  );

  // Holes and events are per-series snapshots: fetched again when the series' revision moves.
  useEffect(() => {
    let current = true;
    void bridge.invoke('holes:list', { seriesId }).then(
      (h) => current && setHoles(h),
      () => current && setHoles([]),
    );
    void bridge.invoke('events:list', { seriesId, limit: 15 }).then(
      (e) => current && setEvents(e),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [seriesId, revision]);

  if (!series) {
    return (
      <main className="page">
        <h1>Series {seriesId}</h1>
        <p className="muted">{loaded ? 'This series does not exist (any more). ' : 'Loading…'}</p>
        {loaded && <a href="#/series">All series</a>}
      </main>
    );
  }
  const condition = seriesCondition(series, stale, backfillingSeries(allJobs).has(series.id));
  return (
    <main className="page" data-testid="series-detail">
      <div className="page-header">
        <div>
          <h1>
            {series.symbol} {series.timeframe} <span className="muted">· {series.source}</span>
          </h1>
          <span className="sub" data-testid="series-detail-condition">
            {CONDITION_LABEL[condition]}
            {series.lastError && <span className="error-text"> — {series.lastError}</span>}
          </span>
        </div>
        <SeriesActions series={series} />
      </div>
      <dl className="facts">
        <div>
          <dt>Keeping from</dt>
          <dd>
            <Time ts={series.startTs} />
          </dd>
        </div>
        <div>
          <dt>Last candle</dt>
          <dd>{series.lastTs === null ? '—' : <Time ts={series.lastTs} />}</dd>
        </div>
        <div>
          <dt>Behind the live edge</dt>
          <dd className="num">{formatCount(series.freshness.candlesBehind)} candles</dd>
        </div>
        <div>
          <dt>Stored</dt>
          <dd className="num" data-testid="detail-candles">
            {formatCount(series.candleCount)} candles
          </dd>
        </div>
        <div>
          <dt>Complete</dt>
          <dd className="num">{formatPercent(series.completeness)}</dd>
        </div>
        <div>
          <dt>Open holes</dt>
          <dd className={series.openHoles ? 'num error-text' : 'num'}>{series.openHoles}</dd>
        </div>
      </dl>
      <section className="panel section">
        <header>
          <h2>Gap map</h2>
          <GapLegend />
        </header>
        <div className="panel-body">
          <GapStrip series={series} height={56} />
        </div>
      </section>
      <section className="section" id="holes">
        <h2>Holes</h2>
        <HoleTable series={series} holes={holes} now={now} />
      </section>
      <SeriesHistorySection seriesId={series.id} refresh={revision} />
      <QualitySection series={series} focus={section === 'quality'} />
      {jobs.length > 0 && (
        <section className="section">
          <h2>Jobs</h2>
          <div className="panel table-wrap">
            <JobList jobs={jobs} series={all} showSeries={false} now={now} />
          </div>
        </section>
      )}
      <section className="section">
        <h2>Recent events</h2>
        {events.length ? (
          <EventTable events={events} series={all} now={now} />
        ) : (
          <p className="muted">Nothing recorded for this series yet.</p>
        )}
      </section>
    </main>
  );
}
