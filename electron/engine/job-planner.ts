/**
 * Turns what each series needs (series-planner.ts, revisions.ts) into the engine's jobs: its live
 * tail, due repairs, a re-read for revisions, and history, from bulk archives first where the source
 * has them; and the user's manual backfills. The engine decides when to plan; this decides what.
 */
import type { Store } from '../store/store.js';
import type { Source } from '../sources/source.js';
import type { Clock } from '../net/clock.js';
import type { EventBus } from '../../shared/event-bus.js';
import type { JobKind, Series } from '../../shared/domain.js';
import type { EngineState } from '../../shared/contract.js';
import type { BulkHistory } from './bulk-history.js';
import type { Range } from './hole-ledger.js';
import type { FetchJob } from './fetch-job.js';
import type { JobRegistry } from './job-registry.js';
import type { ArchiveHandOff } from './archive-handoff.js';
import type { SeriesBackoff } from './series-backoff.js';
import { TAIL_LOOK_AGAIN_MS, type TailLooks } from './tail-looks.js';
import type { SeriesRows } from './series-rows.js';
import { SerialPlans } from './serial-plans.js';
import { SourceRefusals } from './source-refusals.js';
import { liveEdge, planHistory, planTail, type TailTiming } from './series-planner.js';
import { planReread, type RevisionTiming } from './revisions.js';
import { recordPlanned } from './ledger-records.js';
import { storedGaps } from './coverage.js';
import { recordEvent } from './events.js';

export interface JobPlannerDeps {
  store: Store;
  clock: Clock;
  events?: EventBus;
  /** Bulk history (Binance's archives) consulted before history goes over REST, where a source has it. */
  bulkFor?: (source: Source) => BulkHistory | undefined;
  /** Read on every plan (the engine's own config). */
  config: { readonly tail: TailTiming; readonly revision: RevisionTiming };
  jobs: JobRegistry;
  rows: SeriesRows;
  archives: ArchiveHandOff;
  backoff: SeriesBackoff;
  tailLooks: TailLooks;
  /** Series removed while the engine runs: nothing more is planned or stored for them. */
  removed: ReadonlySet<number>;
  state(): EngineState;
  /** The engine's current stop signal (a new one each start). */
  stopSignal(): AbortSignal;
  /** Whether this engine works on the series (in a fleet, whether it holds the lease). */
  owns(seriesId: number): boolean;
  source(id: string): Source;
  /** Queue a job and wake its source's workers. */
  addJob(kind: JobKind, series: Series, range: Range, windows: Range[], holeIds?: number[]): FetchJob;
  /** An archive import stored candles. */
  onArchiveStored(seriesId: number, count: number, lastTs: number | null): void;
  /** An archive import of the series ended, however it went. */
  onArchiveDone(series: Series): void;
  /** Something is due at `at` that the scheduler's current sleep may not have in view. */
  wakeBy(at: number): void;
}

export class JobPlanner {
  /** Series whose history this engine has planned (others, e.g. added by another process, get it next tick). */
  private readonly historyPlanned = new Set<number>();
  private readonly plans = new SerialPlans();
  private readonly refusals: SourceRefusals;
  /** Manual jobs whose archive import they started (by job id: the series). */
  private readonly manualArchives = new Map<string, number>();

  constructor(private readonly deps: JobPlannerDeps) {
    this.refusals = new SourceRefusals(deps);
  }

  /** Plan the series' jobs, unless it is not this engine's to work now; returns true if new work was queued. */
  async plan(series: Series, withHistory: boolean): Promise<boolean> {
    if (
      this.deps.state() === 'stopped' ||
      !series.enabled ||
      this.deps.removed.has(series.id) ||
      !this.deps.owns(series.id)
    )
      return false;
    return this.plans.run(series.id, withHistory, (history) => this.planNow(series, history));
  }

  /** The series' history is planned again at its next plan (it was lost, removed, or did not finish). */
  replanHistory(seriesId: number): void {
    this.historyPlanned.delete(seriesId);
  }

  /**
   * A job of the series has no window left queued or running: plan what comes next. A finished tail
   * that left candles before its live edge missing (the source published nothing there) is not
   * planned again for that edge until a minute has passed (tail-looks.ts). History that did not
   * finish is planned again (after the series' backoff): its ranges are still in the ledger as not
   * fetched.
   */
  jobEnded(job: FetchJob, series: Series, source: Source): void {
    if (job.kind === 'tail' && job.state === 'done') this.tailCameShort(job, series, source);
    if (job.kind === 'backfill' && job.state !== 'done') this.replanHistory(series.id);
    // As it is now: paused or removed while this window was on the wire, it is not planned.
    const current = this.deps.rows.known(series.id);
    if (current) void this.plan(current, false);
  }

  /** Queue a manual backfill of [from, to): missing candles and every hole in it, settled or not. */
  planManual(seriesId: number, from: number, to: number): FetchJob {
    const { store, clock, config } = this.deps;
    const series = this.deps.rows.get(seriesId);
    const source = this.deps.source(series.source);
    const edge = liveEdge(series, clock.now(), config.tail);
    const end = Math.min(to, edge);
    // Every candle not stored, settled holes included (the user asked for them), each window once.
    const ranges = from < end ? storedGaps(store, seriesId, series.timeframe, from, end) : [];
    const job = this.deps.addJob(
      'manual',
      series,
      { from, to: end },
      ranges.flatMap((r) => source.windows(series.timeframe, r.from, r.to)),
    );
    // Where the source has bulk archives, they go first, as the plan shows: the job waits for them
    // (the engine holds it) and then skips the windows they stored, fetching only the rest.
    const bulk = ranges.length ? this.deps.bulkFor?.(source) : undefined;
    if (bulk && this.deps.state() !== 'stopped' && !this.deps.archives.isFilling(seriesId)) {
      this.manualArchives.set(job.id, seriesId);
      this.fillFromArchives(bulk, source, series, ranges, edge, job);
    }
    return job;
  }

  /** The manual job is cancelled: the archive import it started stops with it (whole files stay stored). */
  stopManualArchive(jobId: string): void {
    const archiving = this.manualArchives.get(jobId);
    if (archiving !== undefined) this.deps.archives.abort(archiving);
  }

  /** Queue a repair of the series' holes that are due (none while one runs); returns true if one was queued. */
  planRepairs(series: Series): boolean {
    const { store, clock, jobs } = this.deps;
    if (jobs.current(series.id, 'repair')) return false;
    const due = store.holes.due(series.id, clock.now());
    if (!due.length) return false;
    const source = this.deps.source(series.source);
    const windows: Range[] = [];
    const holeIds: number[] = [];
    for (const hole of due) {
      for (const w of source.windows(series.timeframe, hole.fromTs, hole.toTs)) {
        windows.push(w);
        holeIds.push(hole.id);
      }
    }
    this.deps.addJob('repair', series, { from: due[0]!.fromTs, to: due[due.length - 1]!.toTs }, windows, holeIds);
    return true;
  }

  private async planNow(series: Series, withHistory: boolean): Promise<boolean> {
    const { store, clock, config, jobs, archives } = this.deps;
    const now = clock.now();
    const retryAt = this.deps.backoff.retryAt(series.id);
    if (retryAt !== null && retryAt > now) return false;
    const source = this.deps.source(series.source);
    if (this.refusals.check(source, series, now)) return false;
    let added = false;
    if (!jobs.current(series.id, 'tail')) {
      const tail = planTail(store, source, series, now, config.tail);
      // Not the question a tail that came back short just asked, unless the edge moved (tail-looks.ts).
      if (tail && !this.deps.tailLooks.asked(series.id, tail.to, now))
        added = !!this.deps.addJob('tail', series, tail, source.windows(series.timeframe, tail.from, tail.to)) || added;
    }
    added = this.planRepairs(series) || added;
    if (!jobs.current(series.id, 'revision')) {
      const reread = planReread(store, series, now, config.tail, config.revision);
      if (reread)
        added =
          !!this.deps.addJob('revision', series, reread, source.windows(series.timeframe, reread.from, reread.to)) ||
          added;
    }
    if (
      (withHistory || !this.historyPlanned.has(series.id)) &&
      !jobs.current(series.id, 'backfill') &&
      !archives.isFilling(series.id)
    ) {
      this.historyPlanned.add(series.id);
      const history = await planHistory(store, source, series, now, config.tail);
      if (this.deps.state() === 'stopped' || this.deps.removed.has(series.id)) return added;
      // In the ledger before the first request: a failure, a stop or a crash never loses track of it.
      recordPlanned(store, series, history, now);
      const bulk = history.length ? this.deps.bulkFor?.(source) : undefined;
      if (bulk) this.fillFromArchives(bulk, source, series, history, liveEdge(series, now, config.tail), null);
      else if (history.length) {
        this.addHistoryJob(source, series, history);
        added = true;
      }
    }
    return added;
  }

  private addHistoryJob(source: Source, series: Series, history: Range[]): void {
    if (!history.length) return;
    const range = { from: history[0]!.from, to: history[history.length - 1]!.to };
    this.deps.addJob(
      'backfill',
      series,
      range,
      history.flatMap((r) => source.windows(series.timeframe, r.from, r.to)),
    );
  }

  /**
   * History from bulk archives first (one file replaces hundreds of requests), the rest as a REST
   * history job, unless the import is for a manual job (`manual`), which fetches the rest itself.
   * The import waits between files while the engine, the series or that manual job is paused.
   */
  private fillFromArchives(
    bulk: BulkHistory,
    source: Source,
    series: Series,
    history: Range[],
    edge: number,
    manual: FetchJob | null,
  ): void {
    const restAsHistoryJob = manual === null;
    // A manual job runs on a paused series too (the user asked for it), so it only heeds its own pause.
    const mayGo = (): boolean =>
      this.deps.state() === 'running' &&
      !this.deps.removed.has(series.id) &&
      (manual ? manual.state !== 'paused' : this.deps.rows.get(series.id).enabled);
    void this.deps.archives
      .fill({
        bulk,
        series,
        history,
        liveEdge: edge,
        stop: this.deps.stopSignal(),
        mayGo,
        onStored: (seriesId, count, lastTs) => this.deps.onArchiveStored(seriesId, count, lastTs),
        // For a manual backfill its own job fetches what the archives leave.
        onRemaining: (remaining) => {
          if (restAsHistoryJob) this.addHistoryJob(source, series, remaining);
        },
        onFailed: (err) => {
          recordEvent(this.deps, {
            kind: 'series',
            severity: 'warning',
            seriesId: series.id,
            source: series.source,
            message: `archives unavailable for ${series.symbol} ${series.timeframe} (${err.message}); fetching history over the API`,
          });
          if (restAsHistoryJob) this.addHistoryJob(source, series, history);
        },
      })
      .then(() => {
        for (const [jobId, seriesId] of this.manualArchives)
          if (seriesId === series.id) this.manualArchives.delete(jobId);
        this.deps.onArchiveDone(series);
      });
  }

  /** The tail came back short of its live edge: it waits before asking the same again (tail-looks.ts). */
  private tailCameShort(job: FetchJob, series: Series, source: Source): void {
    const now = this.deps.clock.now();
    const again = planTail(this.deps.store, source, series, now, this.deps.config.tail);
    if (!again || again.to > job.range.to) return;
    this.deps.tailLooks.cameShort(series.id, job.range.to, now);
    this.deps.wakeBy(now + TAIL_LOOK_AGAIN_MS);
  }
}
