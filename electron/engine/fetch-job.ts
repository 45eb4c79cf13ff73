/**
 * One job: a series' range cut into request windows, handed out one at a time to source workers,
 * with progress (done/total, rate, ETA) and a state the dashboard can act on.
 */
import type { Job, JobKind, JobState } from '../../shared/domain.js';
import type { Range } from './hole-ledger.js';
import { PRIORITY, type Priority } from '../net/budget.js';

let nextId = 1;

const PRIORITY_OF: Record<JobKind, Priority> = {
  tail: PRIORITY.live,
  repair: PRIORITY.repair,
  revision: PRIORITY.repair,
  backfill: PRIORITY.backfill,
  manual: PRIORITY.backfill,
};

export class FetchJob {
  readonly id: string;
  readonly priority: Priority;
  state: JobState = 'queued';
  private next = 0;
  private inFlight = 0;
  private done = 0;
  candlesStored = 0;
  startedAt: number | null = null;
  finishedAt: number | null = null;
  error: string | null = null;

  constructor(
    readonly kind: JobKind,
    readonly seriesId: number,
    readonly range: Range,
    readonly windows: Range[],
    /** For repairs: the hole each window re-checks. */
    readonly holeIds: Array<number | null> = [],
  ) {
    this.id = `${kind}-${seriesId}-${nextId++}`;
    this.priority = PRIORITY_OF[kind];
    if (!windows.length) this.state = 'done';
  }

  get active(): boolean {
    return this.state === 'queued' || this.state === 'running';
  }

  /** A window to fetch, or null when none is left to hand out (or the job is paused). */
  take(now: number): { window: Range; index: number } | null {
    if (!this.active || this.next >= this.windows.length) return null;
    this.state = 'running';
    this.startedAt ??= now;
    this.inFlight++;
    const index = this.next++;
    return { window: this.windows[index]!, index };
  }

  /** The window `take` would hand out next, without taking it. */
  peek(): Range | null {
    return this.hasWork() ? this.windows[this.next]! : null;
  }

  hasWork(): boolean {
    return this.active && this.next < this.windows.length;
  }

  windowDone(stored: number, now: number): void {
    this.inFlight--;
    this.done++;
    this.candlesStored += stored;
    if (this.done >= this.windows.length && this.state === 'running') this.finish('done', now);
  }

  windowFailed(error: string, now: number): void {
    this.inFlight--;
    this.error = error;
    if (this.active) this.finish('failed', now);
  }

  pause(): void {
    if (this.active) this.state = 'paused';
  }

  resume(): void {
    if (this.state === 'paused') this.state = this.done || this.inFlight ? 'running' : 'queued';
  }

  cancel(now: number): void {
    if (this.active || this.state === 'paused') this.finish('cancelled', now);
  }

  get idle(): boolean {
    return this.inFlight === 0;
  }

  private finish(state: JobState, now: number): void {
    this.state = state;
    this.finishedAt = now;
  }

  snapshot(now: number): Job {
    const elapsed = this.startedAt === null ? 0 : ((this.finishedAt ?? now) - this.startedAt) / 1000;
    const rate = elapsed > 0 ? this.candlesStored / elapsed : 0;
    const left = this.windows.length - this.done;
    return {
      id: this.id,
      seriesId: this.seriesId,
      kind: this.kind,
      state: this.state,
      from: this.range.from,
      to: this.range.to,
      windowsDone: this.done,
      windowsTotal: this.windows.length,
      candlesStored: this.candlesStored,
      startedAt: this.startedAt,
      finishedAt: this.finishedAt,
      rate,
      etaSec: this.done && this.active ? (left * elapsed) / this.done : null,
      error: this.error,
    };
  }
}
