/**
 * The engine's jobs: queued, running, paused, and recently finished ones, which the dashboard lists
 * and can retry. Finished tails (one a minute per series) are forgotten at once; other finished jobs
 * beyond the newest KEEP_FINISHED_JOBS when a job is added.
 */
import type { Job, JobKind } from '../../shared/domain.js';
import type { FetchJob } from './fetch-job.js';

const KEEP_FINISHED_JOBS = 50;

export class JobRegistry {
  private readonly jobs = new Map<string, FetchJob>();

  add(job: FetchJob): FetchJob {
    this.forgetFinished();
    this.jobs.set(job.id, job);
    return job;
  }

  get(id: string): FetchJob {
    const job = this.jobs.get(id);
    if (!job) throw new Error(`no job ${id}`);
    return job;
  }

  all(): FetchJob[] {
    return [...this.jobs.values()];
  }

  snapshots(now: number): Job[] {
    return this.all().map((j) => j.snapshot(now));
  }

  /** The series' job of this kind that is queued, running or paused. */
  current(seriesId: number, kind: JobKind): FetchJob | undefined {
    return this.all().find((j) => j.seriesId === seriesId && j.kind === kind && (j.active || j.state === 'paused'));
  }

  /** Whether the series has a job of this kind queued or running (not paused). */
  running(seriesId: number, kind: JobKind): boolean {
    return this.all().some((j) => j.seriesId === seriesId && j.kind === kind && j.active);
  }

  /** Jobs queued or running (the queue depth in health and metrics). */
  activeCount(): number {
    return this.all().filter((j) => j.active).length;
  }

  /** The series' jobs that are queued, running or paused. */
  unfinished(seriesId: number): FetchJob[] {
    return this.all().filter((j) => j.seriesId === seriesId && (j.active || j.state === 'paused'));
  }

  private forgetFinished(): void {
    const finished = this.all().filter((j) => !j.active && j.state !== 'paused' && j.idle);
    for (const j of finished) if (j.kind === 'tail') this.jobs.delete(j.id);
    const kept = finished.filter((j) => j.kind !== 'tail');
    for (const j of kept.slice(0, Math.max(0, kept.length - KEEP_FINISHED_JOBS))) this.jobs.delete(j.id);
  }
}
