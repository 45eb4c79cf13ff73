/**
 * One request window of a job, from the wire to the database: skipped when its candles are stored
 * already, fetched until what the answer says is proven (evidence.ts), committed in one transaction
 * (window-commit.ts, or revisions.ts for a re-read), and on failure kept in the ledger as an open
 * hole with its error, the series backing off.
 */
import type { Store } from '../store/store.js';
import type { Source } from '../sources/source.js';
import { SourceError } from '../sources/source.js';
import type { Clock } from '../net/clock.js';
import type { EventBus } from '../../shared/event-bus.js';
import type { Series } from '../../shared/domain.js';
import { candleCount } from '../../shared/timeframe.js';
import { withRetry, type RetryPolicy } from '../net/retry.js';
import type { FetchJob } from './fetch-job.js';
import type { Range } from './hole-ledger.js';
import type { SeriesOwnership } from './series-ownership.js';
import type { SeriesBackoff } from './series-backoff.js';
import type { SeriesRows } from './series-rows.js';
import type { WindowsOnWire } from './windows-on-wire.js';
import { fetchWindowProven, type EvidenceRules } from './evidence.js';
import { liveEdge, type TailTiming } from './series-planner.js';
import { commitWindow, yieldToEventLoop } from './window-commit.js';
import { commitReread } from './revisions.js';
import { recordFailedWindow, recordStoredWindow } from './ledger-records.js';
import { reportQuarantined, reportRepair } from './window-reports.js';
import { recordEvent } from './events.js';

export interface WindowRunnerDeps {
  store: Store;
  clock: Clock;
  events?: EventBus;
  /** In a fleet, the leases: a window runs and commits only while its series' lease is held. */
  ownership?: SeriesOwnership;
  /** Read on every window (the engine's own config). */
  config: { readonly retry: RetryPolicy; readonly tail: TailTiming; readonly evidence: EvidenceRules };
  rows: SeriesRows;
  onWire: WindowsOnWire;
  backoff: SeriesBackoff;
  /** Series removed while the engine runs: a window of theirs still in flight is dropped when it lands. */
  removed: ReadonlySet<number>;
  source(id: string): Source;
  /** The series' row changed under this window (removed or replaced by another process). */
  reloadSeries(seriesId: number): void;
  /** The window stored candles (new or changed; `count` may be 0). */
  onStored(series: Series, count: number, lastTs: number | null): void;
  /** The window's job stored candles: closes the stream sent ahead of them can be stored now. */
  releaseStream(series: Series): void;
  /** The window is off the wire, whatever became of it. */
  onLanded(job: FetchJob, series: Series, source: Source): void;
}

export class WindowRunner {
  constructor(private readonly deps: WindowRunnerDeps) {}

  /** Fetch and store the job's window number `index`; never throws for what the source answers. */
  async run(job: FetchJob, window: Range, index: number, stop: AbortSignal): Promise<void> {
    const { store, clock, config } = this.deps;
    const series = this.deps.rows.get(job.seriesId);
    const source = this.deps.source(series.source);
    // In a fleet the window also ends the moment this collector's lease on the series does.
    const lease = this.deps.ownership?.signalFor(series.id);
    if (this.deps.ownership && !lease) return;
    const signal = lease ? AbortSignal.any([stop, lease]) : stop;
    this.deps.onWire.add(series.id, window);
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
      const retry = <T>(attempt: () => Promise<T>): Promise<T> => withRetry(clock, config.retry, attempt, { signal });
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
        liveEdge(series, clock.now(), config.tail),
        signal,
        retry,
      );
      await yieldToEventLoop();
      if (signal.aborted || this.deps.removed.has(series.id)) return;
      const now = clock.now();
      const edge = liveEdge(series, now, config.tail);
      const options = { hasVolume: source.capabilities.hasVolume, evidence: config.evidence };
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
          if (!this.deps.rows.stillStored(series)) return null;
          return job.kind === 'revision'
            ? commitReread(this.deps, series, window, result, edge, now, options)
            : commitWindow(store, series, window, result, edge, now, options);
        },
        { immediate: true },
      );
      if (!committed) {
        if (!lost) this.deps.reloadSeries(series.id);
        return;
      }
      const { stored, lastTs, rejected } = committed;
      reportQuarantined(this.deps, series, window, rejected);
      job.windowDone(stored, now);
      this.deps.backoff.forget(series.id);
      this.deps.onStored(series, stored, lastTs);
      // Closes the stream sent ahead of what this window filled are stored now, not fetched again.
      if (stored > 0 && job.kind !== 'revision') this.deps.releaseStream(series);
      if (job.kind === 'repair') reportRepair(this.deps, series, window, settledBefore ? stored : 0);
    } catch (err) {
      if (signal.aborted || this.deps.removed.has(series.id)) return;
      if (!this.deps.rows.stillStored(series)) return this.deps.reloadSeries(series.id);
      this.failed(job, series, window, err);
    } finally {
      this.deps.onWire.remove(series.id, window);
      this.deps.onLanded(job, series, source);
    }
  }

  /** Was the hole this repair window looks at settled (so this is its late look)? */
  private settledHole(job: FetchJob, index: number): boolean {
    const holeId = job.holeIds[index];
    return holeId != null && this.deps.store.holes.get(holeId)?.state === 'confirmed_empty';
  }

  /**
   * A window failed after its retries (evidence rule 2: no look). Whatever the job, its range stays in
   * the ledger as an open hole with the error, retried with backoff until stored or settled.
   */
  private failed(job: FetchJob, series: Series, window: Range, err: unknown): void {
    const { store, clock, backoff } = this.deps;
    const now = clock.now();
    const message = err instanceof Error ? err.message : String(err);
    job.windowFailed(message, now);
    // Revisions re-read stored candles: a failed re-read leaves no range without candles.
    if (job.kind !== 'revision') {
      const edge = liveEdge(series, now, this.deps.config.tail);
      recordFailedWindow(store, series, window, edge, message, now, (attempts) => now + backoff.delay(attempts));
    }
    const rejected = err instanceof SourceError && err.kind === 'rejected';
    const failures = backoff.failed(series.id, now, rejected);
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
}
