/** Manual backfills and the queue of every job the engine runs. */
import { useMemo, useState } from 'react';
import { useJobsStore, ACTIVE_STATES } from '../state/jobs-store';
import { useSeriesStore } from '../state/series-store';
import { useNow } from '../hooks/use-now';
import { BackfillForm } from '../components/BackfillForm';
import { JobList } from '../components/JobList';

export function BackfillPage() {
  const jobs = useJobsStore((s) => s.jobs);
  const loaded = useJobsStore((s) => s.loaded);
  const series = useSeriesStore((s) => s.series);
  const [tails, setTails] = useState(false);
  const now = useNow(15_000);
  const { active, finished } = useMemo(() => {
    const shown = jobs.filter((j) => tails || j.kind !== 'tail');
    return {
      // In the order the jobs were queued, whatever their state: a row that jumped up when another
      // job started running would move its Pause and Cancel buttons out from under the pointer.
      active: shown.filter((j) => ACTIVE_STATES.has(j.state)),
      finished: shown
        .filter((j) => !ACTIVE_STATES.has(j.state))
        .sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0))
        .slice(0, 40),
    };
  }, [jobs, tails]);

  return (
    <main className="page" data-testid="backfill-page">
      <div className="page-header">
        <h1>Backfill</h1>
      </div>
      <section className="panel section">
        <header>
          <h2>New backfill</h2>
        </header>
        <div className="panel-body">
          <BackfillForm />
        </div>
      </section>
      <section className="section">
        <div className="page-header">
          <h2>Queue</h2>
          <label className="check small">
            <input type="checkbox" checked={tails} onChange={(e) => setTails(e.target.checked)} /> Show live tails
          </label>
        </div>
        {active.length ? (
          <div className="panel table-wrap" data-testid="active-jobs">
            <JobList jobs={active} series={series} now={now} />
          </div>
        ) : (
          <p className="muted">{loaded ? 'Nothing running: every series is up to date or paused.' : 'Loading…'}</p>
        )}
      </section>
      {finished.length > 0 && (
        <section className="section">
          <h2>Finished</h2>
          <div className="panel table-wrap" data-testid="finished-jobs">
            <JobList jobs={finished} series={series} now={now} />
          </div>
        </section>
      )}
    </main>
  );
}
