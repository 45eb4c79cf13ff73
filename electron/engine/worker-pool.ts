/**
 * The engine's workers, per source: `workersPerSource` general ones plus one that takes only live
 * tails, idle in the source's lane (lane.ts) while there is nothing they may take. A worker takes
 * the highest-priority kind first and, within a priority, the series served least recently
 * (round-robin), so one five-year backfill never starves the others.
 */
import type { Clock } from '../net/clock.js';
import type { JobKind } from '../../shared/domain.js';
import type { EngineState } from '../../shared/contract.js';
import type { FetchJob } from './fetch-job.js';
import type { Range } from './hole-ledger.js';
import type { JobRegistry } from './job-registry.js';
import type { SeriesRows } from './series-rows.js';
import type { WindowsOnWire } from './windows-on-wire.js';
import { Lane } from './lane.js';

const KIND_ORDER: JobKind[] = ['tail', 'repair', 'revision', 'backfill', 'manual'];

export interface WorkerPoolDeps {
  clock: Clock;
  /** Read when a source's workers start (the engine's own config). */
  config: { readonly workersPerSource: number };
  jobs: JobRegistry;
  rows: SeriesRows;
  onWire: WindowsOnWire;
  state(): EngineState;
  /** The engine's current stop signal (a new one each start): workers end when it aborts. */
  stopSignal(): AbortSignal;
  /** Whether the job must wait now, though it has windows left (its series paused or not owned…). */
  isHeld(job: FetchJob): boolean;
  runWindow(job: FetchJob, window: Range, index: number, stop: AbortSignal): Promise<void>;
}

export class WorkerPool {
  private readonly lanes = new Map<string, Lane>();
  /** Sources whose workers run. Not the lanes: a job queued while the engine is stopped makes its lane. */
  private readonly staffed = new Set<string>();
  private workers: Array<Promise<void>> = [];

  constructor(private readonly deps: WorkerPoolDeps) {}

  /** Start the source's workers, unless they run already or the engine is stopped. */
  ensure(sourceId: string): void {
    if (this.staffed.has(sourceId) || this.deps.state() === 'stopped') return;
    this.staffed.add(sourceId);
    const signal = this.deps.stopSignal();
    // One extra worker takes only live tails: the others may all be waiting on the budget for
    // history windows, and a closed candle must not wait behind them.
    this.workers.push(this.worker(sourceId, signal, ['tail']));
    for (let i = 0; i < this.deps.config.workersPerSource; i++)
      this.workers.push(this.worker(sourceId, signal, KIND_ORDER));
  }

  /** Wake the source's idle workers to look for work again (its lane is made if it has none yet). */
  wake(sourceId: string): void {
    this.lane(sourceId).wake();
  }

  /** Wake the source's idle workers, if it has a lane. */
  wakeIfAny(sourceId: string): void {
    this.lanes.get(sourceId)?.wake();
  }

  wakeAll(): void {
    for (const lane of this.lanes.values()) lane.wake();
  }

  /** Whether an idle worker would take a window of the job right now. */
  wouldTake(job: FetchJob): boolean {
    return (
      job.hasWork() &&
      !this.deps.isHeld(job) &&
      !this.overlapsInFlight(job) &&
      this.deps.state() === 'running' &&
      (this.lanes.get(this.deps.rows.known(job.seriesId)?.source ?? '')?.canTake(job.kind) ?? false)
    );
  }

  /** Resolves when every worker has ended (after the stop signal aborted). */
  async finished(): Promise<void> {
    await Promise.all(this.workers);
  }

  /** Forget the ended workers and their lanes: the next start begins anew. */
  clear(): void {
    this.workers = [];
    this.staffed.clear();
    this.lanes.clear();
  }

  private async worker(sourceId: string, signal: AbortSignal, kinds: JobKind[]): Promise<void> {
    const lane = this.lane(sourceId);
    while (!signal.aborted) {
      const pick = this.deps.state() === 'running' ? this.pick(sourceId, lane, kinds) : null;
      if (!pick) {
        await lane.wait(signal, kinds);
        continue;
      }
      await this.deps.runWindow(pick.job, pick.window, pick.index, signal);
    }
  }

  /** Highest priority first; round-robin between series within a priority. */
  private pick(sourceId: string, lane: Lane, kinds: JobKind[]): { job: FetchJob; window: Range; index: number } | null {
    const now = this.deps.clock.now();
    for (const kind of kinds) {
      const candidates = this.deps.jobs
        .all()
        .filter(
          (j) =>
            j.kind === kind &&
            j.hasWork() &&
            !this.deps.isHeld(j) &&
            this.deps.rows.known(j.seriesId)?.source === sourceId &&
            !this.overlapsInFlight(j),
        )
        .sort((a, b) => a.seriesId - b.seriesId);
      if (!candidates.length) continue;
      const last = lane.lastSeries.get(candidates[0]!.priority) ?? -1;
      const job = candidates.find((j) => j.seriesId > last) ?? candidates[0]!;
      lane.lastSeries.set(job.priority, job.seriesId);
      const taken = job.take(now);
      if (taken) return { job, ...taken };
    }
    return null;
  }

  /** A window overlapping one on the wire waits for it, then finds its candles stored (windows-on-wire.ts). */
  private overlapsInFlight(job: FetchJob): boolean {
    const next = job.peek();
    return !!next && this.deps.onWire.overlaps(job.seriesId, next);
  }

  private lane(sourceId: string): Lane {
    let lane = this.lanes.get(sourceId);
    if (!lane) {
      lane = new Lane();
      this.lanes.set(sourceId, lane);
    }
    return lane;
  }
}
