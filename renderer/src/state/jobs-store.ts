/**
 * Jobs: the 'jobs:list' snapshot, then every pushed 'job:progress' upserted by id. Bounded: live
 * tails run every minute for weeks, so finished jobs beyond the newest `KEEP_FINISHED` are dropped.
 */
import { create } from 'zustand';
import type { Job } from '../../../shared/domain';
import { bridge } from '../bridge';

const KEEP_FINISHED = 150;

export const ACTIVE_STATES: ReadonlySet<Job['state']> = new Set(['queued', 'running', 'paused']);

interface JobsState {
  jobs: Job[];
  loaded: boolean;
  error: string | null;
}

export const useJobsStore = create<JobsState>()(() => ({ jobs: [], loaded: false, error: null }));

function bounded(jobs: Job[]): Job[] {
  const active = jobs.filter((j) => ACTIVE_STATES.has(j.state));
  const finished = jobs
    .filter((j) => !ACTIVE_STATES.has(j.state))
    .sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0))
    .slice(0, KEEP_FINISHED);
  return [...active, ...finished];
}

export async function loadJobs(): Promise<void> {
  try {
    const jobs = await bridge.invoke('jobs:list');
    useJobsStore.setState({ jobs: bounded(jobs), loaded: true, error: null });
  } catch (err) {
    useJobsStore.setState({ loaded: true, error: (err as Error).message });
  }
}

export function jobsReplaced(jobs: Job[]): void {
  useJobsStore.setState({ jobs: bounded(jobs), loaded: true });
}

export function jobProgressed(job: Job): void {
  useJobsStore.setState((s) => {
    const index = s.jobs.findIndex((j) => j.id === job.id);
    // A new job joins the end: rows already on screen keep their place (see BackfillPage).
    if (index === -1) return { jobs: bounded([...s.jobs, job]) };
    const jobs = s.jobs.slice();
    jobs[index] = job;
    return { jobs: ACTIVE_STATES.has(job.state) ? jobs : bounded(jobs) };
  });
}
