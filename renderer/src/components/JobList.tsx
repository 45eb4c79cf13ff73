/** Jobs with progress, rate and ETA; pause, resume, cancel, retry. Updated by pushed 'job:progress'. */
import { memo, useState } from 'react';
import type { Job, JobKind, JobState } from '../../../shared/domain';
import type { SeriesView } from '../../../shared/contract';
import { bridge } from '../bridge';
import { jobProgressed, jobsReplaced } from '../state/jobs-store';
import { hrefOf } from '../routing/route';
import { ProgressBar } from './ProgressBar';
import { ActionsColumnHeader } from './ActionsColumnHeader';
import { StatusBadge, type Tone } from './StatusBadge';
import { Time } from './Time';
import { formatCount, formatDuration, formatRange, formatRangeShort, formatUtcRange, plural } from '../format';

export const KIND_LABEL: Record<JobKind, string> = {
  tail: 'live tail',
  repair: 'repair',
  revision: 're-read',
  backfill: 'history',
  manual: 'manual backfill',
};
const STATE_TONE: Record<JobState, Tone> = {
  queued: 'quiet',
  running: 'busy',
  paused: 'warn',
  done: 'ok',
  failed: 'bad',
  cancelled: 'quiet',
};

function JobActions({ job }: { job: Job }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const act = async (channel: 'jobs:pause' | 'jobs:resume' | 'jobs:cancel' | 'jobs:retry'): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      if (channel === 'jobs:retry') jobProgressed(await bridge.invoke(channel, { jobId: job.id }));
      else jobsReplaced(await bridge.invoke(channel, { jobId: job.id }));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const active = job.state === 'running' || job.state === 'queued';
  return (
    <div className="button-row">
      {active && (
        <button className="small" disabled={busy} onClick={() => void act('jobs:pause')}>
          Pause
        </button>
      )}
      {job.state === 'paused' && (
        <button className="small" disabled={busy} onClick={() => void act('jobs:resume')}>
          Resume
        </button>
      )}
      {(active || job.state === 'paused') && (
        <button className="small" disabled={busy} onClick={() => void act('jobs:cancel')}>
          Cancel
        </button>
      )}
      {(job.state === 'failed' || job.state === 'cancelled') && (
        <button className="small" disabled={busy} onClick={() => void act('jobs:retry')}>
          Retry
        </button>
      )}
      {error && <span className="error-text small">{error}</span>}
    </div>
  );
}

/**
 * One job's row. Memoised: while a backfill runs, progress arrives for one job at a time, and only
 * that job's row needs to render again, not the whole queue.
 */
const JobRow = memo(function JobRow({
  job,
  series: s,
  showSeries,
  now,
}: {
  job: Job;
  series: SeriesView | undefined;
  showSeries: boolean;
  now: number;
}) {
  const share = job.windowsTotal ? job.windowsDone / job.windowsTotal : job.state === 'done' ? 1 : 0;
  return (
    <tr data-testid="job-row" data-state={job.state} data-kind={job.kind}>
      <td className="nowrap">{KIND_LABEL[job.kind]}</td>
      {showSeries && (
        <td className="nowrap">
          {s ? (
            <a href={hrefOf({ page: 'series', seriesId: s.id })}>
              {s.symbol} {s.timeframe}
            </a>
          ) : (
            `series ${job.seriesId}`
          )}
        </td>
      )}
      <td className="small" title={`${formatRange(job.from, job.to)} · ${formatUtcRange(job.from, job.to)}`}>
        {formatRangeShort(job.from, job.to, now)}
      </td>
      <td>
        <ProgressBar
          share={share}
          tone={
            job.state === 'failed' ? 'bad' : job.state === 'done' || job.state === 'cancelled' ? 'quiet' : undefined
          }
          label={`${KIND_LABEL[job.kind]} progress`}
        />
        <span className="small muted num" data-testid="job-progress">
          {formatCount(job.windowsDone)} / {plural(job.windowsTotal, 'request')} · {Math.round(share * 100)}%
        </span>
      </td>
      <td className="num">{formatCount(job.candlesStored)}</td>
      <td className="num nowrap">{job.state === 'running' && job.rate > 0 ? `${formatCount(job.rate)}/s` : '—'}</td>
      <td className="num nowrap">
        {job.state === 'running' && job.etaSec !== null ? (
          `~${formatDuration(job.etaSec * 1000)}`
        ) : job.finishedAt !== null ? (
          <Time ts={job.finishedAt} style="ago" now={now} />
        ) : (
          '—'
        )}
      </td>
      <td>
        <StatusBadge tone={STATE_TONE[job.state]} label={job.state} testId="job-state" />
        {job.error && (
          <div className="small error-text job-error" title={job.error}>
            {job.error}
          </div>
        )}
      </td>
      <td>
        <JobActions job={job} />
      </td>
    </tr>
  );
});

export function JobList({
  jobs,
  series,
  showSeries = true,
  now,
}: {
  jobs: Job[];
  series: SeriesView[];
  showSeries?: boolean;
  now: number;
}) {
  const byId = new Map(series.map((s) => [s.id, s]));
  return (
    <table className="grid jobs" aria-label="Jobs">
      <thead>
        <tr>
          <th>Job</th>
          {showSeries && <th>Series</th>}
          <th>Range</th>
          <th style={{ width: '22%' }}>Progress</th>
          <th className="num">Candles</th>
          <th className="num">Rate</th>
          <th className="num">ETA</th>
          <th>State</th>
          <ActionsColumnHeader />
        </tr>
      </thead>
      <tbody>
        {jobs.map((job) => (
          <JobRow key={job.id} job={job} series={byId.get(job.seriesId)} showSeries={showSeries} now={now} />
        ))}
      </tbody>
    </table>
  );
}
