/**
 * The engine: keeps every enabled series complete and fresh, unattended. Per source, a few workers
 * take request windows from jobs by priority (live tail, then repairs, then history) and round-robin
 * between series, all spending through the shared budgets (network.ts). Timers re-arm themselves from
 * the injected clock: tails fire shortly after each candle closes, repairs when due, sweeps on a cron.
 * Everything it does next is derived from the database, so a restart (even after kill -9) resumes.
 *
 * This file is the orchestrator: the engine's life (start, stop, pause, sync once), the series and
 * jobs the fronts change, and the state its parts share, handed to each part explicitly. The parts:
 * job-planner.ts (what to queue for a series), worker-pool.ts (who takes which window next),
 * window-runner.ts (one window from the wire to the database), stream-hookup.ts (live streams),
 * scheduler-loop.ts (when to plan again), sweep-rounds.ts (the gap sweep over every series).
 */
import { setMaxListeners } from 'node:events';
import type { Store } from '../store/store.js';
import type { Source } from '../sources/source.js';
import type { Clock } from '../net/clock.js';
import type { Network } from '../net/network.js';
import { SourceHttp } from '../net/source-http.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../net/retry.js';
import type { StreamStats } from '../sources/kline-stream.js';
import type { EventBus } from '../../shared/event-bus.js';
import type { Job, JobKind, Series } from '../../shared/domain.js';
import type { EngineState } from '../../shared/contract.js';
import { FetchJob } from './fetch-job.js';
import { JobRegistry } from './job-registry.js';
import { ArchiveHandOff } from './archive-handoff.js';
import { SeriesBackoff } from './series-backoff.js';
import { WindowsOnWire } from './windows-on-wire.js';
import { TailLooks } from './tail-looks.js';
import { SeriesRows } from './series-rows.js';
import { JobPlanner } from './job-planner.js';
import { WindowRunner } from './window-runner.js';
import { WorkerPool } from './worker-pool.js';
import { StreamHookup } from './stream-hookup.js';
import { SweepRounds } from './sweep-rounds.js';
import { SchedulerLoop } from './scheduler-loop.js';
import { DEFAULT_EVIDENCE, type EvidenceRules } from './evidence.js';
import { DEFAULT_TAIL_TIMING, type TailTiming } from './series-planner.js';
import { DEFAULT_REVISION_TIMING, type RevisionTiming } from './revisions.js';
import { recordEvent } from './events.js';
import type { BulkHistory } from './bulk-history.js';
import type { Range } from './hole-ledger.js';
import type { StreamFactory } from './live-streams.js';
import type { OwnershipChange, SeriesOwnership } from './series-ownership.js';

export interface EngineConfig {
  /** Requests in flight at once per source. */
  workersPerSource: number;
  tail: TailTiming;
  /** When to run the full gap sweep (cron expression, UTC). */
  sweepCron: string;
  retry: RetryPolicy;
  /** Backoff of a failing repair and of a failing series. */
  backoff: { baseMs: number; maxMs: number };
  /** Re-reading recently closed candles for revisions (engine/revisions.ts). */
  revision: RevisionTiming;
  /** When a hole is settled (engine/evidence.ts). */
  evidence: EvidenceRules;
}

export const DEFAULT_ENGINE_CONFIG: EngineConfig = {
  workersPerSource: 3,
  tail: DEFAULT_TAIL_TIMING,
  sweepCron: '7 * * * *',
  retry: DEFAULT_RETRY,
  backoff: { baseMs: 60_000, maxMs: 6 * 3_600_000 },
  revision: DEFAULT_REVISION_TIMING,
  evidence: DEFAULT_EVIDENCE,
};

export interface EngineDeps {
  store: Store;
  clock: Clock;
  network: Network;
  sourceFor: (id: string) => Source;
  /** Bulk history (Binance's archives) consulted before history goes over REST, where a source has it. */
  bulkFor?: (source: Source) => BulkHistory | undefined;
  events?: EventBus;
  config?: Partial<EngineConfig>;
  /** Live kline streams, for the sources that have them (absent: every tail polls REST). */
  streamFor?: StreamFactory;
  /** A closed candle from a stream was stored (the bench measures close-to-stored latency). */
  onStreamStored?: (series: Series, ts: number) => void;
  /** Which series this engine works on (absent: all of them; in a fleet, those it holds a lease on). */
  ownership?: SeriesOwnership;
}

export class Engine {
  readonly config: EngineConfig;
  private state: EngineState = 'stopped';
  private readonly jobs = new JobRegistry();
  private readonly sources = new Map<string, Source>();
  private readonly backoff = new SeriesBackoff(() => this.config.backoff);
  private stopController = new AbortController();
  /** Series rows by id, re-read whenever the registry changes (workers look them up per window). */
  private readonly rows: SeriesRows;
  /** Series removed while this engine runs: a window of theirs still in flight is dropped when it lands. */
  private readonly removed = new Set<number>();
  /** Series whose history is being filled from bulk archives right now. */
  private readonly archives = new ArchiveHandOff();
  /** Candles written since this engine was created (new or changed). */
  candlesStored = 0;
  private readonly onWire = new WindowsOnWire();
  /** The live edge each series' tail last asked up to: asked again once the edge moves. */
  private readonly tailLooks = new TailLooks();
  private readonly planner: JobPlanner;
  private readonly pool: WorkerPool;
  private readonly streams: StreamHookup;
  private readonly sweeps: SweepRounds;
  private readonly scheduler: SchedulerLoop;
  private stopListening: (() => void) | null = null;

  constructor(private readonly deps: EngineDeps) {
    this.config = { ...DEFAULT_ENGINE_CONFIG, ...deps.config };
    const { store, clock, events } = deps;
    const core = { store, clock, events };
    const rows = (this.rows = new SeriesRows(store));
    // The parts below share this engine's state; each is handed what it reads, nothing more.
    const state = (): EngineState => this.state;
    const stopSignal = (): AbortSignal => this.stopController.signal;
    const source = (id: string): Source => this.source(id);
    this.planner = new JobPlanner({
      ...core,
      bulkFor: deps.bulkFor,
      config: this.config,
      jobs: this.jobs,
      rows,
      archives: this.archives,
      backoff: this.backoff,
      tailLooks: this.tailLooks,
      removed: this.removed,
      state,
      stopSignal,
      owns: (seriesId) => this.owns(seriesId),
      source,
      addJob: (kind, series, range, windows, holeIds) => this.addJob(kind, series, range, windows, holeIds),
      onArchiveStored: (seriesId, count, lastTs) => {
        this.candlesStored += count;
        events?.emit('candles:stored', { seriesId, count, lastTs });
      },
      onArchiveDone: (series) => this.pool.wakeIfAny(series.source), // jobs that waited for the archives may go
      wakeBy: (at) => this.scheduler.wakeBy(at),
    });
    const windows = new WindowRunner({
      ...core,
      ownership: deps.ownership,
      config: this.config,
      rows,
      onWire: this.onWire,
      backoff: this.backoff,
      removed: this.removed,
      source,
      reloadSeries: (seriesId) => this.reloadSeries(seriesId),
      onStored: (series, count, lastTs) => {
        this.candlesStored += count;
        if (count > 0) events?.emit('candles:stored', { seriesId: series.id, count, lastTs });
      },
      releaseStream: (series) => this.streams.release(series),
      onLanded: (job, series, source) => {
        this.pool.wake(series.source); // a window that waited for this one may go now
        this.progress(job);
        if (!job.active) this.planner.jobEnded(job, series, source);
      },
    });
    this.pool = new WorkerPool({
      clock,
      config: this.config,
      jobs: this.jobs,
      rows,
      onWire: this.onWire,
      state,
      stopSignal,
      isHeld: (job) => this.isHeld(job),
      runWindow: (job, window, index, stop) => windows.run(job, window, index, stop),
    });
    this.streams = new StreamHookup({
      ...core,
      streamFor: deps.streamFor,
      source,
      config: this.config,
      catchUp: (seriesId) => {
        if (!this.owns(seriesId)) return;
        if (rows.cached(seriesId) || store.series.get(seriesId)) void this.planner.plan(rows.get(seriesId), false);
      },
      onStored: (series, ts, stored) => {
        this.candlesStored += stored;
        if (stored > 0) events?.emit('candles:stored', { seriesId: series.id, count: stored, lastTs: ts });
        deps.onStreamStored?.(series, ts);
      },
    });
    this.sweeps = new SweepRounds({
      ...core,
      config: this.config,
      jobs: this.jobs,
      owns: (seriesId) => this.owns(seriesId),
      state,
      planRepairs: (series) => this.planner.planRepairs(series),
    });
    this.scheduler = new SchedulerLoop({
      ...core,
      config: this.config,
      jobs: this.jobs,
      backoff: this.backoff,
      tailLooks: this.tailLooks,
      sweeps: this.sweeps,
      state,
      planAll: () => this.planAll(false),
      missedTime: (reason) => this.catchUp(reason),
    });
  }

  /** Whether this engine works on the series (always, outside a fleet). */
  owns(seriesId: number): boolean {
    return this.deps.ownership?.owns(seriesId) ?? true;
  }

  /**
   * Leases changed: a lost series' jobs stop now (their requests in flight were aborted by the
   * lease's own signal) and its next owner re-plans it from the ledger; a won series is planned at once.
   */
  private ownershipChanged({ won, lost }: OwnershipChange): void {
    if (this.state === 'stopped') return;
    const now = this.deps.clock.now();
    for (const seriesId of lost) {
      this.archives.abort(seriesId);
      for (const job of this.jobs.unfinished(seriesId)) {
        job.cancel(now);
        this.progress(job);
      }
      this.planner.replanHistory(seriesId);
    }
    if (lost.length || won.length) this.streams.sync(() => this.ownedSeries(this.deps.store.series.list()));
    for (const seriesId of won) {
      const series = this.rows.known(seriesId);
      if (series) void this.planner.plan(series, true);
    }
    this.pool.wakeAll();
  }

  /** Windows of the series on the wire or an archive import running: a lease handed back waits for them. */
  isWorking(seriesId: number): boolean {
    return this.onWire.has(seriesId) || this.archives.isFilling(seriesId);
  }

  private ownedSeries(list: Series[]): Series[] {
    return this.deps.ownership ? list.filter((s) => this.owns(s.id)) : list;
  }

  /** A source's live stream state, messages and reconnects (null: that source has no stream running). */
  streamStats(sourceId: string): StreamStats | null {
    return this.streams.stats(sourceId);
  }

  /** Streams built anew (settings changed: streams on or off, hosts). */
  restartStreams(): void {
    if (this.state === 'stopped') return;
    this.streams.restart(() => this.ownedSeries(this.deps.store.series.list()));
  }

  get currentState(): EngineState {
    return this.state;
  }

  // ---- lifecycle -------------------------------------------------------------------------

  /** Plan every enabled series (history included) and run until stopped. */
  async start(): Promise<void> {
    if (this.state !== 'stopped') return;
    this.stopController = this.newStopController();
    this.setState('running');
    this.stopListening ??= this.deps.ownership?.onChange((change) => this.ownershipChanged(change)) ?? null;
    this.streams.start();
    await this.planAll(true);
    for (const job of this.jobs.all()) this.pool.ensure(this.rows.get(job.seriesId).source);
    this.sweeps.reschedule(this.deps.clock.now());
    this.scheduler.start(this.stopController.signal);
  }

  /** Stop taking work, abort requests in flight (their windows are discarded whole), wait for workers. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.setState('stopped');
    this.stopListening?.();
    this.stopListening = null;
    this.stopController.abort();
    this.streams.close();
    this.pool.wakeAll();
    this.scheduler.wakeNow();
    await Promise.all([this.pool.finished(), this.scheduler.finished()]);
    this.pool.clear();
    this.scheduler.clear();
  }

  pause(): void {
    if (this.state === 'running') this.setState('paused');
    this.archives.changed();
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.setState('running');
    this.archives.changed();
    this.pool.wakeAll();
  }

  /**
   * Bring every enabled series up to date once (history, tail, due repairs, second looks at new
   * holes) and return; for `candlekeep sync --once`.
   */
  async syncOnce(): Promise<void> {
    this.stopController = this.newStopController();
    this.setState('running');
    try {
      await this.planAll(true);
      for (let round = 0; round < 4; round++) {
        await this.whenIdle();
        if (!(await this.planAll(false))) break;
      }
      await this.whenIdle();
    } finally {
      await this.stop();
    }
  }

  /** Notice missed time (after sleep, a network change, a long pause) and fetch it first thing. */
  catchUp(reason: string): void {
    if (this.state === 'stopped') return;
    recordEvent(this.deps, { kind: 'engine', severity: 'info', message: `catching up: ${reason}` });
    this.backoff.clear();
    this.tailLooks.forget();
    void this.planAll(false);
    this.scheduler.wakeNow();
  }

  /**
   * Resolves once nothing can progress without the clock moving: no request in flight and no idle
   * worker with work to take (tests with a manual clock advance time in between).
   */
  async whenIdle(): Promise<void> {
    // Workers waiting on the clock (budget, backoff) are not in progress: only requests on the wire are.
    const settled = (): boolean =>
      SourceHttp.inFlight === 0 &&
      this.archives.busy === 0 &&
      !this.streams.pendingCloses &&
      !this.jobs.all().some((j) => this.pool.wouldTake(j));
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (settled()) {
        await new Promise((r) => setTimeout(r, 1));
        if (settled()) return;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  // ---- series and jobs --------------------------------------------------------------------

  jobList(): Job[] {
    return this.jobs.snapshots(this.deps.clock.now());
  }

  /** Queue a manual backfill of [from, to): missing candles and every hole in it, settled or not. */
  startBackfill(seriesId: number, from: number, to: number): Job {
    return this.planner.planManual(seriesId, from, to).snapshot(this.deps.clock.now());
  }

  cancelJob(id: string): void {
    this.job(id).cancel(this.deps.clock.now());
    this.planner.stopManualArchive(id);
    this.progress(this.job(id));
  }

  pauseJob(id: string): void {
    this.job(id).pause();
    this.archives.changed();
    this.progress(this.job(id));
  }

  resumeJob(id: string): void {
    this.job(id).resume();
    this.archives.changed();
    this.progress(this.job(id));
    this.pool.wakeAll();
  }

  /** Run a failed or cancelled job's range again as a new job. */
  retryJob(id: string): Job {
    const old = this.job(id);
    return this.startBackfill(old.seriesId, old.range.from, old.range.to);
  }

  /** Series paused or resumed by the user (persisted). */
  setSeriesEnabled(seriesId: number, enabled: boolean): void {
    this.deps.store.series.setEnabled(seriesId, enabled);
    this.applyEnabled(seriesId, enabled);
  }

  /** Stop or restart a series' own jobs (manual backfills go on) after its `enabled` changed. */
  private applyEnabled(seriesId: number, enabled: boolean): void {
    this.rows.forget(seriesId);
    this.tailLooks.forget(seriesId);
    if (!enabled)
      for (const job of this.jobs.unfinished(seriesId)) if (job.kind !== 'manual') job.cancel(this.deps.clock.now());
    this.archives.changed();
    this.deps.events?.emit('series:changed', { seriesId });
    if (!enabled) return;
    void this.planner.plan(this.rows.get(seriesId), true);
    // Jobs queued while it was paused are held, not gone: their workers sleep until woken.
    this.pool.wakeIfAny(this.rows.get(seriesId).source);
    this.scheduler.wakeNow();
  }

  /**
   * Remove a series and everything stored for it; returns how many candles went. Its jobs are
   * cancelled first and windows already in flight are dropped when they land: nothing may be
   * written for a series that no longer exists (it would fail its foreign key, or come back).
   */
  removeSeries(seriesId: number): number {
    this.rows.get(seriesId); // an unknown id throws here, before anything is forgotten
    const cancelled = this.forgetSeries(seriesId);
    const removedCandles = this.deps.store.series.remove(seriesId);
    for (const job of cancelled) this.progress(job);
    this.deps.events?.emit('series:changed', { seriesId });
    return removedCandles;
  }

  /** Stop everything this engine does for a series that is going or gone; returns the jobs cancelled. */
  private forgetSeries(seriesId: number): FetchJob[] {
    const now = this.deps.clock.now();
    this.removed.add(seriesId);
    this.archives.abort(seriesId);
    const cancelled = this.jobs.unfinished(seriesId);
    for (const job of cancelled) job.cancel(now);
    this.rows.forget(seriesId);
    this.backoff.forget(seriesId);
    this.tailLooks.forget(seriesId);
    this.planner.replanHistory(seriesId);
    return cancelled;
  }

  /**
   * A series' row changed in the database, possibly by another process (the CLI, another engine on
   * the same file): bring this engine in line with it, whatever it was before. Safe to call for a
   * change this engine made itself.
   */
  reloadSeries(seriesId: number): void {
    const known = this.rows.cached(seriesId);
    this.rows.forget(seriesId);
    const row = this.deps.store.series.get(seriesId);
    if (!row) {
      if (!this.removed.has(seriesId)) for (const job of this.forgetSeries(seriesId)) this.progress(job);
      this.deps.events?.emit('series:changed', { seriesId });
      return;
    }
    // Ids of removed series are reused by SQLite: a row under a removed id is a new series.
    this.removed.delete(seriesId);
    if (known && known.enabled !== row.enabled) return this.applyEnabled(seriesId, row.enabled);
    if (!row.enabled) {
      for (const job of this.jobs.unfinished(seriesId)) if (job.kind !== 'manual') job.cancel(this.deps.clock.now());
      this.archives.changed();
      this.deps.events?.emit('series:changed', { seriesId });
      return;
    }
    this.seriesAdded(seriesId);
  }

  /** A series was added or changed: plan it now. */
  seriesAdded(seriesId: number): void {
    this.rows.forget(seriesId);
    this.deps.events?.emit('series:changed', { seriesId });
    if (this.state === 'stopped') return;
    void this.planner.plan(this.rows.get(seriesId), true);
    this.scheduler.wakeNow();
  }

  /** Full sweep of every series for holes the ledger does not know; returns how many it found. */
  sweep(): Promise<number> {
    return this.sweeps.run();
  }

  /** A new sweep schedule (settings changed). */
  setSweepCron(cron: string): void {
    this.config.sweepCron = cron;
    this.sweeps.reschedule(this.deps.clock.now());
  }

  /** Forget source objects (settings or keys changed); the next request builds them anew. */
  resetSources(): void {
    this.sources.clear();
  }

  queueDepth(): number {
    return this.jobs.activeCount();
  }

  // ---- planning ---------------------------------------------------------------------------

  /** Plan all enabled series; returns true if new work was queued. */
  private async planAll(withHistory: boolean): Promise<boolean> {
    this.rows.clear();
    let added = false;
    const list = this.deps.store.series.list();
    // Streams follow the series: added, removed, paused or resumed since the last tick.
    if (this.state !== 'stopped') this.streams.sync(() => this.ownedSeries(list));
    for (const series of list) if (series.enabled) added = (await this.planner.plan(series, withHistory)) || added;
    return added;
  }

  private addJob(kind: JobKind, series: Series, range: Range, windows: Range[], holeIds: number[] = []): FetchJob {
    const job = this.jobs.add(new FetchJob(kind, series.id, range, windows, holeIds));
    this.progress(job);
    this.pool.ensure(series.source);
    this.pool.wake(series.source);
    return job;
  }

  // ---- helpers ----------------------------------------------------------------------------
  // ---- helpers ----------------------------------------------------------------------------

  /** Every worker and timer listens on the stop signal: many listeners are expected, not a leak. */
  private newStopController(): AbortController {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    return controller;
  }

  /**
   * Paused series hold their jobs (not the user's manual ones). A manual backfill waits while its
   * series' own history is fetched (from archives or by a running history job): the windows that
   * history stores are then skipped instead of asked for twice.
   */
  private isHeld(job: FetchJob): boolean {
    // Another collector's series (lost since this job was queued) wait for its cancellation.
    if (!this.owns(job.seriesId)) return true;
    if (job.kind === 'manual')
      return this.archives.isFilling(job.seriesId) || this.jobs.running(job.seriesId, 'backfill');
    // A series removed by another process holds its jobs until this engine hears of it.
    return !(this.rows.known(job.seriesId)?.enabled ?? false);
  }

  private progress(job: FetchJob): void {
    this.deps.events?.emit('job:progress', { job: job.snapshot(this.deps.clock.now()) });
  }

  private setState(state: EngineState): void {
    this.state = state;
    this.deps.events?.emit('engine:state', { state });
  }

  private job(id: string): FetchJob {
    return this.jobs.get(id);
  }

  private source(id: string): Source {
    let source = this.sources.get(id);
    if (!source) {
      source = this.deps.sourceFor(id);
      this.sources.set(id, source);
    }
    return source;
  }
}
