/**
 * The engine: keeps every enabled series complete and fresh, unattended. Per source, a few workers
 * take request windows from jobs by priority (live tail, then repairs, then history) and round-robin
 * between series, all spending through the shared budgets (network.ts). Timers re-arm themselves from
 * the injected clock: tails fire shortly after each candle closes, repairs when due, sweeps on a cron.
 * Everything it does next is derived from the database, so a restart (even after kill -9) resumes.
 */
import { setMaxListeners } from 'node:events';
import type { Store } from '../store/store.js';
import type { Source } from '../sources/source.js';
import { SourceError } from '../sources/source.js';
import type { Clock } from '../net/clock.js';
import type { Network } from '../net/network.js';
import type { EventBus } from '../../shared/event-bus.js';
import { FetchJob } from './fetch-job.js';
import { Lane } from './lane.js';
import { JobRegistry } from './job-registry.js';
import { ArchiveHandOff } from './archive-handoff.js';
import { SeriesBackoff } from './series-backoff.js';
import { nextCronRun, nextWake } from './next-wake.js';
import { SourceRefusals } from './source-refusals.js';
import { WindowsOnWire } from './windows-on-wire.js';
import { SerialPlans } from './serial-plans.js';
import { TailLooks } from './tail-looks.js';
import { reportQuarantined, reportRepair } from './window-reports.js';
import { commitWindow, yieldToEventLoop } from './window-commit.js';
import { recordFailedWindow, recordPlanned, recordStoredWindow } from './ledger-records.js';
import { DEFAULT_EVIDENCE, fetchWindowProven, type EvidenceRules } from './evidence.js';
import { withRetry, DEFAULT_RETRY, type RetryPolicy } from '../net/retry.js';
import { DEFAULT_TAIL_TIMING, liveEdge, planHistory, planTail, type TailTiming } from './series-planner.js';
import { recordSweptGaps, sweepSeries } from './gap-sweep.js';
import { storedGaps } from './coverage.js';
import { candleCount } from '../../shared/timeframe.js';
import type { BulkHistory } from './bulk-history.js';
import type { Range } from './hole-ledger.js';
import { SourceHttp } from '../net/source-http.js';
import { recordEvent } from './events.js';
import { DEFAULT_REVISION_TIMING, commitReread, planReread, type RevisionTiming } from './revisions.js';
import { LiveStreams, type StreamFactory } from './live-streams.js';
import type { StreamStats } from '../sources/kline-stream.js';
import type { Job, JobKind, Series } from '../../shared/domain.js';
import type { EngineState } from '../../shared/contract.js';
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

const KIND_ORDER: JobKind[] = ['tail', 'repair', 'revision', 'backfill', 'manual'];

export class Engine {
  readonly config: EngineConfig;
  private state: EngineState = 'stopped';
  private readonly jobs = new JobRegistry();
  private readonly lanes = new Map<string, Lane>();
  private readonly sources = new Map<string, Source>();
  private readonly backoff = new SeriesBackoff(() => this.config.backoff);
  private stopController = new AbortController();
  private workers: Array<Promise<void>> = [];
  private timerWake: AbortController | null = null;
  private nextSweepAt = 0;
  /** Series rows by id, re-read whenever the registry changes (workers look them up per window). */
  private seriesCache = new Map<number, Series>();
  /** Series removed while this engine runs: a window of theirs still in flight is dropped when it lands. */
  private readonly removed = new Set<number>();
  private sweeping = false;
  /** Series whose history is being filled from bulk archives right now. */
  private readonly archives = new ArchiveHandOff();
  /** Manual jobs whose archive import they started (by job id: the series). */
  private readonly manualArchives = new Map<string, number>();
  private readonly refusals: SourceRefusals;
  private timer: Promise<void> | null = null;
  /** Candles written since this engine was created (new or changed). */
  candlesStored = 0;
  private readonly onWire = new WindowsOnWire();
  /** Series whose history this engine has planned (others, e.g. added by another process, get it next tick). */
  private readonly historyPlanned = new Set<number>();
  private readonly plans = new SerialPlans();
  /** The live edge each series' tail last asked up to: asked again once the edge moves. */
  private readonly tailLooks = new TailLooks();
  private live: LiveStreams | null = null;
  private stopListening: (() => void) | null = null;

  constructor(private readonly deps: EngineDeps) {
    this.config = { ...DEFAULT_ENGINE_CONFIG, ...deps.config };
    this.refusals = new SourceRefusals(deps);
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
      this.historyPlanned.delete(seriesId);
    }
    if (lost.length || won.length) this.live?.sync(this.ownedSeries(this.deps.store.series.list()));
    for (const seriesId of won) {
      const series = this.knownSeries(seriesId);
      if (series) void this.planSeries(series, true);
    }
    this.wakeAll();
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
    return this.live?.stats(sourceId) ?? null;
  }

  /** Streams built anew (settings changed: streams on or off, hosts). */
  restartStreams(): void {
    if (this.state === 'stopped') return;
    this.live?.close();
    this.live = null;
    this.startStreams()?.sync(this.ownedSeries(this.deps.store.series.list()));
  }

  private startStreams(): LiveStreams | null {
    const { streamFor } = this.deps;
    if (!streamFor || this.live) return this.live;
    return (this.live = new LiveStreams({
      store: this.deps.store,
      clock: this.deps.clock,
      events: this.deps.events,
      streamFor,
      source: (id) => this.source(id),
      evidence: this.config.evidence,
      catchUp: (seriesId) => {
        if (!this.owns(seriesId)) return;
        if (this.seriesCache.has(seriesId) || this.deps.store.series.get(seriesId))
          void this.planSeries(this.series(seriesId), false);
      },
      onStored: (series, ts, stored) => {
        this.candlesStored += stored;
        if (stored > 0) this.deps.events?.emit('candles:stored', { seriesId: series.id, count: stored, lastTs: ts });
        this.deps.onStreamStored?.(series, ts);
      },
    }));
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
    this.startStreams();
    await this.planAll(true);
    for (const job of this.jobs.all()) this.ensureWorkers(this.series(job.seriesId).source);
    this.nextSweepAt = nextCronRun(this.config.sweepCron, this.deps.clock.now());
    this.timer = this.timerLoop(this.stopController.signal);
  }

  /** Stop taking work, abort requests in flight (their windows are discarded whole), wait for workers. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.setState('stopped');
    this.stopListening?.();
    this.stopListening = null;
    this.stopController.abort();
    this.live?.close();
    this.live = null;
    for (const lane of this.lanes.values()) lane.wake();
    this.timerWake?.abort();
    await Promise.all([...this.workers, this.timer]);
    this.workers = [];
    this.timer = null;
    this.lanes.clear();
  }

  pause(): void {
    if (this.state === 'running') this.setState('paused');
    this.archives.changed();
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.setState('running');
    this.archives.changed();
    this.wakeAll();
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
    this.timerWake?.abort();
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
      !this.live?.pendingCloses &&
      !this.jobs
        .all()
        .some(
          (j) =>
            j.hasWork() &&
            !this.isHeld(j) &&
            !this.overlapsInFlight(j) &&
            this.state === 'running' &&
            (this.lanes.get(this.knownSeries(j.seriesId)?.source ?? '')?.canTake(j.kind) ?? false),
        );
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
    const series = this.series(seriesId);
    const source = this.source(series.source);
    const edge = liveEdge(series, this.deps.clock.now(), this.config.tail);
    const end = Math.min(to, edge);
    // Every candle not stored, settled holes included (the user asked for them), each window once.
    const ranges = from < end ? storedGaps(this.deps.store, seriesId, series.timeframe, from, end) : [];
    const job = this.addJob(
      'manual',
      series,
      { from, to: end },
      ranges.flatMap((r) => source.windows(series.timeframe, r.from, r.to)),
    );
    // Where the source has bulk archives, they go first, as the plan shows: the job waits for them
    // (isHeld) and then skips the windows they stored, fetching only the rest.
    const bulk = ranges.length ? this.deps.bulkFor?.(source) : undefined;
    if (bulk && this.state !== 'stopped' && !this.archives.isFilling(seriesId)) {
      this.manualArchives.set(job.id, seriesId);
      this.fillFromArchives(bulk, source, series, ranges, edge, job);
    }
    return job.snapshot(this.deps.clock.now());
  }

  cancelJob(id: string): void {
    this.job(id).cancel(this.deps.clock.now());
    // The archive import started for this backfill stops with it (whole files stay stored).
    const archiving = this.manualArchives.get(id);
    if (archiving !== undefined) this.archives.abort(archiving);
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
    this.wakeAll();
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
    this.seriesCache.delete(seriesId);
    this.tailLooks.forget(seriesId);
    if (!enabled)
      for (const job of this.jobs.unfinished(seriesId)) if (job.kind !== 'manual') job.cancel(this.deps.clock.now());
    this.archives.changed();
    this.deps.events?.emit('series:changed', { seriesId });
    if (!enabled) return;
    void this.planSeries(this.series(seriesId), true);
    // Jobs queued while it was paused are held, not gone: their workers sleep until woken.
    this.lanes.get(this.series(seriesId).source)?.wake();
  }

  /**
   * Remove a series and everything stored for it; returns how many candles went. Its jobs are
   * cancelled first and windows already in flight are dropped when they land: nothing may be
   * written for a series that no longer exists (it would fail its foreign key, or come back).
   */
  removeSeries(seriesId: number): number {
    this.series(seriesId);
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
    this.seriesCache.delete(seriesId);
    this.backoff.forget(seriesId);
    this.tailLooks.forget(seriesId);
    this.historyPlanned.delete(seriesId);
    return cancelled;
  }

  /**
   * A series' row changed in the database, possibly by another process (the CLI, another engine on
   * the same file): bring this engine in line with it, whatever it was before. Safe to call for a
   * change this engine made itself.
   */
  reloadSeries(seriesId: number): void {
    const known = this.seriesCache.get(seriesId) ?? null;
    this.seriesCache.delete(seriesId);
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
    this.seriesCache.delete(seriesId);
    this.deps.events?.emit('series:changed', { seriesId });
    if (this.state !== 'stopped') void this.planSeries(this.series(seriesId), true);
  }

  /** Full sweep of every series for holes the ledger does not know; returns how many it found. */
  async sweep(): Promise<number> {
    if (this.sweeping) return 0;
    this.sweeping = true;
    try {
      return await this.sweepAll();
    } finally {
      this.sweeping = false;
    }
  }

  private async sweepAll(): Promise<number> {
    let found = 0;
    const now = this.deps.clock.now();
    for (const series of this.deps.store.series.list()) {
      // History still being fetched is not a hole; it is swept once its backfill is done. Another
      // collector's series are its to sweep.
      if (this.activeJob(series.id, 'backfill') || !this.owns(series.id)) continue;
      const gaps = await sweepSeries(this.deps.store, series);
      if (this.state === 'stopped') break;
      if (gaps.length) this.deps.store.candles.forgetTotal(series.id); // rows went missing behind our back
      if (!gaps.length) continue;
      found += gaps.length;
      recordSweptGaps(this.deps.store, series, gaps, now);
      recordEvent(this.deps, {
        kind: 'repair',
        severity: 'warning',
        seriesId: series.id,
        source: series.source,
        message: `sweep found ${gaps.length} unrecorded hole(s) in ${series.symbol} ${series.timeframe}; repairing`,
      });
      if (series.enabled) this.planRepairs(series);
    }
    return found;
  }

  /** A new sweep schedule (settings changed). */
  setSweepCron(cron: string): void {
    this.config.sweepCron = cron;
    this.nextSweepAt = nextCronRun(this.config.sweepCron, this.deps.clock.now());
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
    this.seriesCache.clear();
    let added = false;
    const list = this.deps.store.series.list();
    // Streams follow the series: added, removed, paused or resumed since the last tick.
    if (this.state !== 'stopped') this.live?.sync(this.ownedSeries(list));
    for (const series of list) if (series.enabled) added = (await this.planSeries(series, withHistory)) || added;
    return added;
  }

  private async planSeries(series: Series, withHistory: boolean): Promise<boolean> {
    if (this.state === 'stopped' || !series.enabled || this.removed.has(series.id) || !this.owns(series.id))
      return false;
    return this.plans.run(series.id, withHistory, (history) => this.planSeriesNow(series, history));
  }

  private async planSeriesNow(series: Series, withHistory: boolean): Promise<boolean> {
    const now = this.deps.clock.now();
    const retryAt = this.backoff.retryAt(series.id);
    if (retryAt !== null && retryAt > now) return false;
    const source = this.source(series.source);
    if (this.refusals.check(source, series, now)) return false;
    let added = false;
    if (!this.activeJob(series.id, 'tail')) {
      const tail = planTail(this.deps.store, source, series, now, this.config.tail);
      // Not the question a tail that came back short just asked, unless the edge moved (tail-looks.ts).
      if (tail && !this.tailLooks.asked(series.id, tail.to, now))
        added = !!this.addJob('tail', series, tail, source.windows(series.timeframe, tail.from, tail.to)) || added;
    }
    added = this.planRepairs(series) || added;
    if (!this.activeJob(series.id, 'revision')) {
      const reread = planReread(this.deps.store, series, now, this.config.tail, this.config.revision);
      if (reread)
        added =
          !!this.addJob('revision', series, reread, source.windows(series.timeframe, reread.from, reread.to)) || added;
    }
    if (
      (withHistory || !this.historyPlanned.has(series.id)) &&
      !this.activeJob(series.id, 'backfill') &&
      !this.archives.isFilling(series.id)
    ) {
      this.historyPlanned.add(series.id);
      const history = await planHistory(this.deps.store, source, series, now, this.config.tail);
      if (this.currentState === 'stopped' || this.removed.has(series.id)) return added;
      // In the ledger before the first request: a failure, a stop or a crash never loses track of it.
      recordPlanned(this.deps.store, series, history, now);
      const bulk = history.length ? this.deps.bulkFor?.(source) : undefined;
      if (bulk) this.fillFromArchives(bulk, source, series, history, liveEdge(series, now, this.config.tail), null);
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
    this.addJob(
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
      this.state === 'running' &&
      !this.removed.has(series.id) &&
      (manual ? manual.state !== 'paused' : this.series(series.id).enabled);
    void this.archives
      .fill({
        bulk,
        series,
        history,
        liveEdge: edge,
        stop: this.stopController.signal,
        mayGo,
        onStored: (seriesId, count, lastTs) => {
          this.candlesStored += count;
          this.deps.events?.emit('candles:stored', { seriesId, count, lastTs });
        },
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
        this.lanes.get(series.source)?.wake(); // jobs that waited for the archives may go
      });
  }

  private planRepairs(series: Series): boolean {
    if (this.activeJob(series.id, 'repair')) return false;
    const due = this.deps.store.holes.due(series.id, this.deps.clock.now());
    if (!due.length) return false;
    const source = this.source(series.source);
    const windows: Range[] = [];
    const holeIds: number[] = [];
    for (const hole of due) {
      for (const w of source.windows(series.timeframe, hole.fromTs, hole.toTs)) {
        windows.push(w);
        holeIds.push(hole.id);
      }
    }
    this.addJob('repair', series, { from: due[0]!.fromTs, to: due[due.length - 1]!.toTs }, windows, holeIds);
    return true;
  }

  private addJob(kind: JobKind, series: Series, range: Range, windows: Range[], holeIds: number[] = []): FetchJob {
    const job = this.jobs.add(new FetchJob(kind, series.id, range, windows, holeIds));
    this.progress(job);
    this.ensureWorkers(series.source);
    this.lane(series.source).wake();
    return job;
  }

  // ---- workers ----------------------------------------------------------------------------

  private ensureWorkers(sourceId: string): void {
    if (this.lanes.has(sourceId) || this.state === 'stopped') return;
    this.lanes.set(sourceId, new Lane());
    // One extra worker takes only live tails: the others may all be waiting on the budget for
    // history windows, and a closed candle must not wait behind them.
    this.workers.push(this.worker(sourceId, this.stopController.signal, ['tail']));
    for (let i = 0; i < this.config.workersPerSource; i++)
      this.workers.push(this.worker(sourceId, this.stopController.signal, KIND_ORDER));
  }

  private async worker(sourceId: string, signal: AbortSignal, kinds: JobKind[]): Promise<void> {
    const lane = this.lane(sourceId);
    while (!signal.aborted) {
      const pick = this.state === 'running' ? this.pick(sourceId, lane, kinds) : null;
      if (!pick) {
        await lane.wait(signal, kinds);
        continue;
      }
      await this.runWindow(pick.job, pick.window, pick.index, signal);
    }
  }

  /** Highest priority first; round-robin between series within a priority. */
  private pick(sourceId: string, lane: Lane, kinds: JobKind[]): { job: FetchJob; window: Range; index: number } | null {
    const now = this.deps.clock.now();
    for (const kind of kinds) {
      const candidates = this.jobs
        .all()
        .filter(
          (j) =>
            j.kind === kind &&
            j.hasWork() &&
            !this.isHeld(j) &&
            this.knownSeries(j.seriesId)?.source === sourceId &&
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

  private async runWindow(job: FetchJob, window: Range, index: number, stop: AbortSignal): Promise<void> {
    const { store, clock } = this.deps;
    const series = this.series(job.seriesId);
    const source = this.source(series.source);
    // In a fleet the window also ends the moment this collector's lease on the series does.
    const lease = this.deps.ownership?.signalFor(series.id);
    if (this.deps.ownership && !lease) return;
    const signal = lease ? AbortSignal.any([stop, lease]) : stop;
    this.onWire.add(series.id, window);
    try {
      // A window another job has stored since this one was planned (a new series' tail, history and
      // the user's backfill overlap) is not asked again; re-reads for revisions are asked on purpose.
      if (
        job.kind !== 'revision' &&
        store.candles.count(series.id, window.from, window.to) >= candleCount(series.timeframe, window.from, window.to)
      ) {
        recordStoredWindow(store, series, window, clock.now());
        job.windowDone(0, clock.now());
        return;
      }
      const settledBefore = job.kind === 'repair' ? this.settledHole(job, index) : false;
      const retry = <T>(attempt: () => Promise<T>): Promise<T> =>
        withRetry(clock, this.config.retry, attempt, { signal });
      const request = {
        symbol: series.symbol,
        timeframe: series.timeframe,
        from: window.from,
        to: window.to,
        priority: job.priority,
      };
      const result = await fetchWindowProven(
        source,
        request,
        liveEdge(series, clock.now(), this.config.tail),
        signal,
        retry,
      );
      await yieldToEventLoop();
      if (signal.aborted || this.removed.has(series.id)) return;
      const now = clock.now();
      const edge = liveEdge(series, now, this.config.tail);
      const options = { hasVolume: source.capabilities.hasVolume, evidence: this.config.evidence };
      // Checked and written under one write lock: a removal by another process lands either
      // before (nothing is written) or after (and takes these candles with it).
      let lost = false;
      const committed = store.transaction(
        () => {
          // Checked under the write lock too: a lease lost while the answer travelled writes nothing.
          // (A series being handed back still commits what it had on the wire: the lease is held until then.)
          if (lease && (lease.aborted || !this.deps.ownership?.signalFor(series.id))) {
            lost = true;
            return null;
          }
          if (!this.stillStored(series)) return null;
          return job.kind === 'revision'
            ? commitReread(this.deps, series, window, result, edge, now, options)
            : commitWindow(store, series, window, result, edge, now, options);
        },
        { immediate: true },
      );
      if (!committed) {
        if (!lost) this.reloadSeries(series.id);
        return;
      }
      const { stored, lastTs, rejected } = committed;
      reportQuarantined(this.deps, series, window, rejected);
      job.windowDone(stored, now);
      this.candlesStored += stored;
      this.backoff.forget(series.id);
      if (stored > 0) this.deps.events?.emit('candles:stored', { seriesId: series.id, count: stored, lastTs });
      // Closes the stream sent ahead of what this window filled are stored now, not fetched again.
      if (stored > 0 && job.kind !== 'revision') this.live?.release(series);
      if (job.kind === 'repair') reportRepair(this.deps, series, window, settledBefore ? stored : 0);
    } catch (err) {
      if (signal.aborted || this.removed.has(series.id)) return;
      if (!this.stillStored(series)) return this.reloadSeries(series.id);
      this.windowFailed(job, series, window, err);
    } finally {
      this.onWire.remove(series.id, window);
      this.lane(series.source).wake(); // a window that waited for this one may go now
      this.progress(job);
      if (!job.active) {
        if (job.kind === 'tail' && job.state === 'done') this.tailCameShort(job, series, source);
        // History that did not finish is planned again (after the series' backoff): its ranges are
        // still in the ledger as not fetched.
        if (job.kind === 'backfill' && job.state !== 'done') this.historyPlanned.delete(series.id);
        // As it is now: paused or removed while this window was on the wire, it is not planned.
        const current = this.knownSeries(series.id);
        if (current) void this.planSeries(current, false);
      }
    }
  }

  /**
   * A finished tail that left candles before its live edge missing (the source published nothing
   * there) is not planned again for that edge until a minute has passed (tail-looks.ts).
   */
  private tailCameShort(job: FetchJob, series: Series, source: Source): void {
    const now = this.deps.clock.now();
    const again = planTail(this.deps.store, source, series, now, this.config.tail);
    if (again && again.to <= job.range.to) this.tailLooks.cameShort(series.id, job.range.to, now);
  }

  /** Was the hole this repair window looks at settled (so this is its late look)? */
  private settledHole(job: FetchJob, index: number): boolean {
    const holeId = job.holeIds[index];
    return holeId != null && this.deps.store.holes.get(holeId)?.state === 'confirmed_empty';
  }

  private overlapsInFlight(job: FetchJob): boolean {
    const next = job.peek();
    return !!next && this.onWire.overlaps(job.seriesId, next);
  }

  /**
   * A window failed after its retries (evidence rule 2: no look). Whatever the job, its range stays in
   * the ledger as an open hole with the error, retried with backoff until stored or settled.
   */
  private windowFailed(job: FetchJob, series: Series, window: Range, err: unknown): void {
    const now = this.deps.clock.now();
    const message = err instanceof Error ? err.message : String(err);
    job.windowFailed(message, now);
    // Revisions re-read stored candles: a failed re-read leaves no range without candles.
    if (job.kind !== 'revision') {
      const edge = liveEdge(series, now, this.config.tail);
      recordFailedWindow(
        this.deps.store,
        series,
        window,
        edge,
        message,
        now,
        (attempts) => now + this.backoff.delay(attempts),
      );
    }
    const rejected = err instanceof SourceError && err.kind === 'rejected';
    const failures = this.backoff.failed(series.id, now, rejected);
    if (failures === 1 || rejected) {
      recordEvent(this.deps, {
        kind: 'series',
        severity: 'error',
        seriesId: series.id,
        source: series.source,
        message: `${series.symbol} ${series.timeframe}: ${job.kind} failed: ${message}`,
      });
    }
  }

  // ---- timers -----------------------------------------------------------------------------

  /** Re-arming loop: sleeps until the next tail, repair or sweep is due (never setInterval). */
  private async timerLoop(signal: AbortSignal): Promise<void> {
    const { clock } = this.deps;
    let expected = clock.now();
    while (!signal.aborted) {
      const now = clock.now();
      const late = now - expected;
      if (late > Math.max(60_000, 3 * this.config.tail.delayMs + this.config.tail.jitterMs)) {
        this.catchUp(`woke ${Math.round(late / 60_000)} min late (sleep, suspend or clock change)`);
      }
      try {
        if (this.state === 'running') {
          await this.planAll(false);
          if (now >= this.nextSweepAt) {
            this.nextSweepAt = nextCronRun(this.config.sweepCron, now);
            // Detached: a long sweep must not hold back the next tail.
            void this.sweep().catch((err: Error) =>
              recordEvent(this.deps, { kind: 'engine', severity: 'error', message: `sweep failed: ${err.message}` }),
            );
          }
        }
      } catch (err) {
        recordEvent(this.deps, {
          kind: 'engine',
          severity: 'error',
          message: `scheduler tick failed: ${(err as Error).message}`,
        });
      }
      const wakeAt = Math.max(
        clock.now() + 50,
        nextWake(
          {
            store: this.deps.store,
            tail: this.config.tail,
            revision: this.config.revision,
            backoff: this.backoff,
            nextSweepAt: this.nextSweepAt,
            repairing: (id) => !!this.activeJob(id, 'repair'),
            tailAgainAt: (id) => this.tailLooks.againAt(id, clock.now()),
          },
          clock.now(),
        ),
      );
      expected = wakeAt;
      this.timerWake = new AbortController();
      const wake = this.timerWake;
      const stop = (): void => wake.abort();
      signal.addEventListener('abort', stop, { once: true });
      await clock.sleep(wakeAt - clock.now(), wake.signal);
      signal.removeEventListener('abort', stop);
      if (wake.signal.aborted) expected = clock.now();
    }
  }

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
    return !(this.knownSeries(job.seriesId)?.enabled ?? false);
  }

  private activeJob(seriesId: number, kind: JobKind): FetchJob | undefined {
    return this.jobs.current(seriesId, kind);
  }

  private progress(job: FetchJob): void {
    this.deps.events?.emit('job:progress', { job: job.snapshot(this.deps.clock.now()) });
  }

  private setState(state: EngineState): void {
    this.state = state;
    this.deps.events?.emit('engine:state', { state });
  }

  private wakeAll(): void {
    for (const lane of this.lanes.values()) lane.wake();
  }

  private job(id: string): FetchJob {
    return this.jobs.get(id);
  }

  private series(id: number): Series {
    let series = this.seriesCache.get(id);
    if (!series) {
      const row = this.deps.store.series.get(id);
      if (!row) throw new Error(`no series with id ${id}`);
      this.seriesCache.set(id, (series = row));
    }
    return series;
  }

  /** The series, or null when its row is gone (removed by another process, not yet reloaded here). */
  private knownSeries(id: number): Series | null {
    try {
      return this.series(id);
    } catch {
      return null;
    }
  }

  /**
   * Whether the series a window was fetched for is still the stored one: another process may have
   * removed it (and SQLite may have given its id to a new series) while the window was on the wire.
   */
  private stillStored(series: Series): boolean {
    const row = this.deps.store.series.get(series.id);
    return !!row && row.source === series.source && row.symbol === series.symbol && row.timeframe === series.timeframe;
  }

  private source(id: string): Source {
    let source = this.sources.get(id);
    if (!source) {
      source = this.deps.sourceFor(id);
      this.sources.set(id, source);
    }
    return source;
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
