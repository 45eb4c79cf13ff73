/**
 * Running a backfill plan's archive part (BulkHistory for Binance spot series):
 *  1. the newest archive file is downloaded first and its last day compared with the same day over
 *     REST; if they disagree beyond a few revisions, no archive is used and everything goes to REST;
 *  2. the other files are downloaded a few at a time and committed oldest first, each window like a
 *     REST window (engine/window-commit.ts: candles and the gap ledger in one transaction);
 *  3. the newest file is committed, then the REST copy of the overlap day on top of it;
 *  4. a file that is missing, corrupt or unreachable is fetched over REST from the moment that is
 *     known, beside the other files (archive-rest-fallback.ts), and stored in its place in the
 *     order; once the archive host is unreachable (after the client's retries), no further file is
 *     tried. Background checkpoints are held while the files are stored (Checkpointer.hold).
 */
import type { Store } from '../store/store.js';
import type { Source, WindowResult } from '../sources/source.js';
import type { BinanceArchiveClient, ArchiveOutcome } from '../sources/binance-archive.js';
import { archiveName } from '../sources/binance-archive-layout.js';
import type { Clock } from '../net/clock.js';
import { commitPackedWindow, commitWindow, type CommitResult } from './window-commit.js';
import type { PackedCandles } from '../sources/packed-candles.js';
import { withRetry, DEFAULT_RETRY, type RetryPolicy } from '../net/retry.js';
import { fetchWindowProven } from './evidence.js';
import { mergeRanges, type Range } from './hole-ledger.js';
import type { BulkHistory, BulkJob, BulkResult } from './bulk-history.js';
import { overlapOf, planBackfill, type ArchiveTask, type BackfillPlan } from './archive-plan.js';
import { crossCheck, type CrossCheck } from './archive-cross-check.js';
import { ArchiveRestFallback } from './archive-rest-fallback.js';
import type { Candle, EventKind, EventSeverity, Series } from '../../shared/domain.js';
import { nextOpen } from '../../shared/timeframe.js';

export interface ArchiveProgress {
  filesDone: number;
  filesTotal: number;
  candlesStored: number;
}

/** What one run did, for the CLI and tests. */
export interface ArchiveReport {
  plan: BackfillPlan;
  /** Files whose candles were stored. */
  imported: string[];
  /** Files that could not be used; their windows went to REST. */
  fellBack: Array<{ file: string; status: string; detail: string }>;
  crossCheck: CrossCheck | null;
}

export interface ArchiveBackfillOptions {
  store: Store;
  clock: Clock;
  /** The REST source of the same series (for the cross-check). */
  source: Source;
  client: BinanceArchiveClient;
  /** Files downloaded at once. */
  concurrency?: number;
  retry?: RetryPolicy;
  onProgress?: (p: ArchiveProgress) => void;
}

type Fetched = { task: ArchiveTask; outcome: ArchiveOutcome };

export class ArchiveBackfill implements BulkHistory {
  lastReport: ArchiveReport | null = null;

  constructor(private readonly o: ArchiveBackfillOptions) {}

  /** The plan for `ranges` at the current time, without fetching anything. */
  plan(symbol: string, timeframe: Series['timeframe'], ranges: Range[]): BackfillPlan {
    return planBackfill({
      symbol,
      timeframe,
      ranges,
      now: this.o.clock.now(),
      restWindows: (f, t) => this.o.source.windows(timeframe, f, t),
    });
  }

  async fill(job: BulkJob): Promise<BulkResult> {
    const { store, clock } = this.o;
    const plan = this.plan(job.key.symbol, job.key.timeframe, job.ranges);
    const report: ArchiveReport = { plan, imported: [], fellBack: [], crossCheck: null };
    this.lastReport = report;
    const result: BulkResult = { remaining: job.ranges, stored: 0, requests: 0 };
    if (!plan.archives.length) return result;
    const goOn = (): Promise<void> => job.whilePaused?.() ?? Promise.resolve();
    await goOn();

    const fellBack: Range[] = [];
    const reportFallBack = ({ task, outcome }: Fetched): void => {
      if (outcome.status === 'ok') return;
      report.fellBack.push({ file: archiveName(task.period), status: outcome.status, detail: outcome.detail });
      if (outcome.downloads === 0) return; // not tried: the host was already found unreachable
      this.event(
        job,
        'job',
        outcome.status === 'corrupt' ? 'warning' : 'info',
        `${archiveName(task.period)} ${outcome.status === 'corrupt' ? 'failed its check' : `is ${outcome.status}`}: ${task.period.label} comes over REST instead (${outcome.detail})`,
      );
    };
    let done = 0;
    const progress = (): void =>
      this.o.onProgress?.({ filesDone: done, filesTotal: plan.archives.length, candlesStored: result.stored });

    // 1. The newest usable file is the canary: compared with REST before anything is stored.
    let hostDown = false;
    const download = async (task: ArchiveTask): Promise<Fetched> => {
      await goOn();
      const outcome: ArchiveOutcome = hostDown
        ? { status: 'unavailable', detail: 'the archive host did not answer earlier files', downloads: 0 }
        : await this.o.client.fetch(task.period, job.signal);
      if (outcome.status === 'unavailable') hostDown = true;
      return { task, outcome };
    };
    let newest = plan.archives.length - 1;
    let canary: (Fetched & { rows: PackedCandles }) | null = null;
    for (; newest >= 0 && !canary && !hostDown; newest--) {
      const fetched = await download(plan.archives[newest]!);
      done++;
      if (fetched.outcome.status === 'ok') canary = { ...fetched, rows: fetched.outcome.rows };
      else {
        reportFallBack(fetched);
        fellBack.push(...fetched.task.windows);
      }
    }
    if (!canary) {
      for (const task of plan.archives.slice(0, newest + 1)) fellBack.push(...task.windows);
      return { ...result, remaining: mergeRanges([...plan.rest, ...fellBack]) };
    }
    const overlap = overlapOf(job.key.timeframe, canary.task);
    await goOn();
    const restOverlap = await this.fetchRest(job, overlap);
    result.requests += restOverlap.requests;
    const check = crossCheck(canary.rows.within(overlap).toCandles(), restOverlap.candles);
    report.crossCheck = check;
    if (!check.trusted) {
      this.event(
        job,
        'alert',
        'error',
        `Binance archives disagree with REST on ${check.differing} of ${check.compared} candles from ${new Date(overlap.from).toISOString()}: archives not used, the whole range comes over REST`,
      );
      report.fellBack.push(
        ...plan.archives.map((a) => ({
          file: archiveName(a.period),
          status: 'distrusted',
          detail: 'cross-check with REST failed',
        })),
      );
      return result;
    }
    if (check.differing) {
      this.event(
        job,
        'revision',
        'warning',
        `${check.differing} candle(s) differ between ${archiveName(canary.task.period)} and REST (first ${new Date(check.firstDifference!).toISOString()}); the REST values are stored`,
      );
    }

    // 2. The older files, a few in flight, committed oldest first (the gap ledger reads what is before).
    const series = job.series();
    const stored = ({ stored, lastTs }: CommitResult): void => {
      result.stored += stored;
      if (stored > 0) job.onStored?.(series.id, stored, lastTs);
    };
    // Files that cannot be used are fetched over REST from the moment that is known (see archive-rest-fallback.ts).
    const rest = new ArchiveRestFallback({
      source: this.o.source,
      clock,
      liveEdge: job.liveEdge,
      symbol: job.key.symbol,
      timeframe: job.key.timeframe,
      retry: this.o.retry,
      signal: job.signal,
      gate: goOn,
      commit: (w, res) =>
        stored(
          commitWindow(store, series, w, res, job.liveEdge, clock.now(), {
            hasVolume: this.o.source.capabilities.hasVolume,
          }),
        ),
    });
    const downloadOlder = (task: ArchiveTask): Promise<Fetched> =>
      download(task).then((fetched) => {
        if (fetched.outcome.status !== 'ok' && !job.signal?.aborted) rest.add(task, task.windows);
        return fetched;
      });
    const commitFile = async (fetched: Fetched): Promise<void> => {
      // Paused: nothing more is stored until resumed. Stopped, or the series was removed, while the
      // file downloaded (or while paused): nothing more is written.
      await goOn();
      if (job.signal?.aborted) return;
      const { outcome } = fetched;
      if (outcome.status !== 'ok') {
        reportFallBack(fetched);
        fellBack.push(...(await rest.release(fetched.task)));
        return;
      }
      // One transaction per file (each window still reconciles its own holes): a crash keeps the
      // file whole or not at all, and SQLite writes its pages once rather than once per window.
      // A file proves absence only up to its last row (evidence rule 1): a file cut short (archives
      // have been replaced days later) leaves the rest of its period to REST.
      const { rows } = outcome;
      const windows = fetched.task.windows;
      const provenTo = rows.length ? nextOpen(job.key.timeframe, rows.ts(rows.length - 1)) : windows[0]!.from;
      const results = store.transaction(() =>
        windows.map((w) => commitPackedWindow(store, series, w, rows.within(w), job.liveEdge, clock.now(), provenTo)),
      );
      results.forEach(stored);
      const fileEnd = windows[windows.length - 1]!.to;
      if (provenTo < fileEnd) fellBack.push({ from: provenTo, to: fileEnd });
      report.imported.push(archiveName(fetched.task.period));
    };
    const older = plan.archives.slice(0, newest + 1);
    const releaseCheckpoints = store.holdCheckpoints();
    try {
      await this.commitInOrder(older, downloadOlder, commitFile, () => {
        done++;
        progress();
      });
      // 3. The canary file, then REST's copy of the overlap over it (REST wins a revision).
      await commitFile(canary);
    } finally {
      releaseCheckpoints();
    }
    result.requests += rest.requests;
    stored(
      commitWindow(store, series, overlap, { candles: restOverlap.candles, requests: 0 }, job.liveEdge, clock.now()),
    );
    progress();
    return { ...result, remaining: mergeRanges([...plan.rest, ...fellBack]) };
  }

  /** Download `tasks` a few at a time and commit each in order (the gap ledger reads what is before). */
  private async commitInOrder(
    tasks: ArchiveTask[],
    download: (task: ArchiveTask) => Promise<Fetched>,
    commitFile: (fetched: Fetched) => Promise<void>,
    onFile: () => void,
  ): Promise<void> {
    const inFlight: Array<Promise<Fetched>> = [];
    const launch = (task: ArchiveTask): void => {
      const p = download(task);
      p.catch(() => undefined); // observed below, in order
      inFlight.push(p);
    };
    let next = 0;
    // Files come from a CDN with no request weight: enough in flight to hide its latency behind our
    // parsing and storing (each month is ~45k candles of CPU work); memory stays a few months' worth.
    const concurrency = Math.max(1, this.o.concurrency ?? 8);
    while (next < tasks.length && inFlight.length < concurrency) launch(tasks[next++]!);
    for (let i = 0; i < tasks.length; i++) {
      const fetched = await inFlight.shift()!;
      if (next < tasks.length) launch(tasks[next++]!);
      await commitFile(fetched);
      onFile();
    }
  }

  private async fetchRest(job: BulkJob, range: Range): Promise<WindowResult> {
    const { source, clock } = this.o;
    const candles: Candle[] = [];
    let requests = 0;
    for (const w of source.windows(job.key.timeframe, range.from, range.to)) {
      const retry = <T>(attempt: () => Promise<T>): Promise<T> =>
        withRetry(clock, this.o.retry ?? DEFAULT_RETRY, attempt, { signal: job.signal, onRetry: () => requests++ });
      const res = await fetchWindowProven(
        source,
        { symbol: job.key.symbol, timeframe: job.key.timeframe, from: w.from, to: w.to },
        job.liveEdge,
        job.signal,
        retry,
      );
      requests += res.requests;
      candles.push(...res.candles);
    }
    return { candles, requests };
  }

  private event(job: BulkJob, kind: EventKind, severity: EventSeverity, message: string): void {
    const series = this.o.store.series.find(job.key);
    this.o.store.events.record({
      at: this.o.clock.now(),
      kind,
      severity,
      seriesId: series?.id ?? null,
      source: job.key.source,
      message,
      data: null,
    });
  }
}
