/**
 * One backfill of a series over [from, to): plan what is missing from the database (open holes
 * included), fetch it window by window (a few requests in flight, results committed in order, one
 * transaction per window) and record every hole the source leaves in the gap ledger. What counts as a
 * look and when a hole is settled are the evidence rules (engine/evidence.ts): a hole first seen now
 * is confirmed by a later run's look aimed at it, never by this one. A window that fails leaves its
 * range, and every range not fetched yet, in the ledger as fetch_failed with the error.
 */
import { setMaxListeners } from 'node:events';
import type { Store } from '../store/store.js';
import type { Source, WindowResult } from '../sources/source.js';
import { SourceError } from '../sources/source.js';
import type { Clock } from '../net/clock.js';
import { missingRanges } from './coverage.js';
import type { Range } from './hole-ledger.js';
import { commitWindow, yieldToEventLoop, type CommitOptions } from './window-commit.js';
import { rangeLedger, type LedgerView } from './ledger-view.js';
import { recordFailedWindow } from './ledger-records.js';
import { fetchWindowProven } from './evidence.js';
import { withRetry, DEFAULT_RETRY, type RetryPolicy } from '../net/retry.js';
import { assertServes } from '../sources/capabilities.js';
import type { BulkHistory } from './bulk-history.js';
import type { BackfillSummary, Series, SeriesKey } from '../../shared/domain.js';
import { lastClosedOpen, nextOpen, candleCount } from '../../shared/timeframe.js';

/**
 * Requests in flight for one backfill. Six made a year of 1m about 10% faster from the simulator, but
 * when another client on the same IP spends the weight, more requests already on the wire meet a 429
 * before the budget can slow down (resilience.test.ts): a ban risk no speed is worth.
 */
const DEFAULT_CONCURRENCY = 3;

/** Windows whose answers are all in share one commit, up to this many (a crash loses at most these, re-fetched). */
const MAX_WINDOWS_PER_COMMIT = 8;

/** What one window's commit stored. */
interface Committed {
  seriesId: number;
  stored: number;
  lastTs: number | null;
}

export interface BackfillProgress {
  windowsDone: number;
  windowsTotal: number;
  candlesStored: number;
  requests: number;
  /** Candles per second so far. */
  rate: number;
  /** Seconds left at the current pace, or null before the first window. */
  etaSec: number | null;
}

export interface BackfillDeps {
  store: Store;
  source: Source;
  clock: Clock;
  retry?: RetryPolicy;
  /** Told after each committed window (the server pushes it to dashboards). */
  onStored?: (seriesId: number, count: number, lastTs: number | null) => void;
  /** Bulk history (Binance archives) consulted before the REST windows; REST gets what it leaves. */
  bulk?: BulkHistory;
  /** How windows are committed (validation is on unless a benchmark turns it off). */
  commit?: CommitOptions;
}

export interface BackfillOptions {
  onProgress?: (p: BackfillProgress) => void;
  signal?: AbortSignal;
  /** Requests in flight at once for this backfill. */
  concurrency?: number;
  /** Budget priority of its requests (net/budget.ts PRIORITY); backfill by default. */
  priority?: number;
}

export interface BackfillRequest {
  key: SeriesKey;
  from: number;
  to: number;
}

export async function backfill(
  deps: BackfillDeps,
  request: BackfillRequest,
  options: BackfillOptions = {},
): Promise<BackfillSummary> {
  const { store, source, clock } = deps;
  const { timeframe } = request.key;
  const startedWall = performance.now();
  const key: SeriesKey = { ...request.key, symbol: source.normalizeSymbol(request.key.symbol) };
  // Refuse what the source cannot serve (timeframe, lookback) before any request leaves.
  assertServes(source, timeframe, request.from, clock.now());
  // Only closed candles are fetched: the range ends at the live edge.
  const liveEdge = nextOpen(timeframe, lastClosedOpen(timeframe, clock.now()));
  const to = Math.min(request.to, liveEdge);
  let series: Series | null = store.series.find(key);
  const tally = { stored: 0, requests: 0 };

  const ensureSeries = (): Series => (series ??= store.series.ensure(key, request.from, clock.now()));
  const run = async (
    ranges: Range[],
    windowsTotal: number,
    concurrency = options.concurrency ?? DEFAULT_CONCURRENCY,
  ): Promise<number> => {
    const windows = ranges.flatMap((r) => source.windows(timeframe, r.from, r.to));
    return fetchInOrder(windows, windowsTotal, concurrency, (batch) => {
      // The series is made outside the transaction, which may run twice (Store.transactionAsync).
      const s = ensureSeries();
      // Awaited, not blocked on: on PostgreSQL the server writes these windows while the next
      // answers come in. What they stored is counted once they are committed.
      return store.transactionAsync(() => {
        const ledger = rangeLedger(store, s.id, { from: batch[0]!.window.from, to: batch.at(-1)!.window.to });
        return batch.map(({ window, result }) => commit(s, window, result, ledger));
      });
    });
  };

  let windowsDone = 0;
  const fetchInOrder = async (
    windows: Range[],
    windowsTotal: number,
    parallel: number,
    commitBatch: (batch: Array<{ window: Range; result: WindowResult }>) => Promise<Committed[]>,
  ): Promise<number> => {
    const controller = new AbortController();
    // Every request in flight (and its retry and budget waits) listens to this signal.
    setMaxListeners(0, controller.signal);
    const abort = (): void => controller.abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    // Each window asked for and not committed yet, in order, with its answer once it is in (so
    // answers already waiting are committed together).
    const inFlight: Array<{ promise: Promise<WindowResult>; answer?: WindowResult }> = [];
    const concurrency = Math.max(1, parallel);
    let next = 0;
    let onTheWire = 0;
    let failedOne = false;
    // At most `concurrency` requests are out at once, whether or not a commit is running: an answer
    // that comes in sends the next request, and answers wait (up to one commit's worth) for the
    // commit that takes them. After a failure nothing more is asked for.
    const refill = (): void => {
      while (
        !failedOne &&
        next < windows.length &&
        onTheWire < concurrency &&
        inFlight.length < concurrency + MAX_WINDOWS_PER_COMMIT
      )
        launch();
    };
    const launch = (): void => {
      const window = windows[next++]!;
      const retry = <T>(attempt: () => Promise<T>): Promise<T> =>
        withRetry(clock, deps.retry ?? DEFAULT_RETRY, attempt, {
          signal: controller.signal,
          onRetry: () => tally.requests++,
        });
      const entry: (typeof inFlight)[number] = {
        promise: fetchWindowProven(
          source,
          { symbol: key.symbol, timeframe, from: window.from, to: window.to, priority: options.priority },
          liveEdge,
          controller.signal,
          retry,
        ),
      };
      onTheWire++;
      entry.promise.then(
        (answer) => {
          entry.answer = answer;
          onTheWire--;
          refill();
        },
        () => {
          onTheWire--;
          failedOne = true;
        },
      ); // a failure is observed below, in order
      inFlight.push(entry);
    };
    try {
      refill();
      for (let i = 0; i < windows.length;) {
        const answers: WindowResult[] = [];
        try {
          answers.push(await inFlight.shift()!.promise);
        } catch (err) {
          // Nothing from here on was stored: all of it stays in the ledger with the error (rule 2).
          if (!options.signal?.aborted) failed(windows.slice(i), err);
          throw err;
        }
        // Parsing and committing are separate turns of the event loop, so neither adds to the other.
        await yieldToEventLoop();
        // Answers that came in meanwhile share the commit: one transaction instead of one each.
        while (inFlight[0]?.answer && answers.length < MAX_WINDOWS_PER_COMMIT) answers.push(inFlight.shift()!.answer!);
        refill();
        const first = i;
        const committed = await commitBatch(answers.map((result, k) => ({ window: windows[first + k]!, result })));
        for (const [k, result] of answers.entries()) {
          const { seriesId, stored, lastTs } = committed[k]!;
          tally.stored += stored;
          if (stored > 0) deps.onStored?.(seriesId, stored, lastTs);
          tally.requests += result.requests;
          windowsDone++;
          i++;
        }
        const elapsed = (performance.now() - startedWall) / 1000;
        const rate = elapsed > 0 ? tally.stored / elapsed : 0;
        options.onProgress?.({
          windowsDone,
          windowsTotal,
          candlesStored: tally.stored,
          requests: tally.requests,
          rate,
          etaSec: windowsDone ? ((windowsTotal - windowsDone) * elapsed) / windowsDone : null,
        });
      }
    } finally {
      controller.abort();
      options.signal?.removeEventListener('abort', abort);
    }
    return windows.length;
  };

  const failed = (windows: Range[], err: unknown): void => {
    // A request the source refuses (unknown symbol) creates no series: nothing was there to keep.
    if (!series && err instanceof SourceError && err.kind === 'rejected') return;
    const message = err instanceof Error ? err.message : String(err);
    const s = ensureSeries();
    const now = clock.now();
    for (const w of windows) recordFailedWindow(store, s, w, liveEdge, message, now, () => now);
  };

  const commit = (s: Series, window: Range, result: WindowResult, ledger: LedgerView): Committed => {
    const { stored, lastTs } = commitWindow(store, s, window, result, liveEdge, clock.now(), {
      hasVolume: source.capabilities.hasVolume,
      ...deps.commit,
      ledger,
    });
    return { seriesId: s.id, stored, lastTs };
  };

  if (request.from >= request.to) throw new SourceError('the range is empty: --from must be before --to', 'rejected');
  const windowsIn = (ranges: Range[]): number =>
    ranges.reduce((n, r) => n + source.windows(timeframe, r.from, r.to).length, 0);
  let missing = missingRanges(store, series?.id ?? null, timeframe, request.from, to);
  if (deps.bulk && missing.length) {
    const bulk = await deps.bulk.fill({
      key,
      ranges: missing,
      liveEdge,
      signal: options.signal,
      onStored: deps.onStored,
      series: ensureSeries,
    });
    tally.stored += bulk.stored;
    tally.requests += bulk.requests;
    missing = bulk.remaining;
  }
  await run(missing, windowsIn(missing));

  // Market-closed ranges are stored (so they are not fetched again) but are not holes to report.
  const holes = series
    ? store.holes.overlapping(series.id, request.from, request.to).filter((h) => h.state !== 'market_closed')
    : [];
  return {
    seriesId: series?.id ?? 0,
    source: key.source,
    symbol: key.symbol,
    timeframe,
    from: request.from,
    to: request.to,
    candlesStored: tally.stored,
    requests: tally.requests,
    seconds: Math.round((performance.now() - startedWall) / 10) / 100,
    holes: holes.map((h) => ({ fromTs: h.fromTs, toTs: h.toTs, state: h.state, cause: h.cause })),
  };
}

/** Candles the range can hold (for plans and progress). */
export function expectedCandles(key: SeriesKey, from: number, to: number): number {
  return candleCount(key.timeframe, from, to);
}
