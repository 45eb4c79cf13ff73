/**
 * One backfill of a series over [from, to): plan what is missing from the database, fetch it window
 * by window (a few requests in flight, results committed in order, one transaction per window),
 * record every hole the source leaves in the gap ledger, then look once more at each new hole so
 * that only twice-seen holes become confirmed_empty.
 */
import { setMaxListeners } from 'node:events';
import type { Store } from '../store/store.js';
import type { Source, WindowResult } from '../sources/source.js';
import { SourceError } from '../sources/source.js';
import type { Clock } from './clock.js';
import { missingRanges } from './coverage.js';
import type { Range } from './hole-ledger.js';
import { commitWindow, yieldToEventLoop, type CommitOptions } from './window-commit.js';
import { withRetry, DEFAULT_RETRY, type RetryPolicy } from './retry.js';
import { assertServes } from '../sources/capabilities.js';
import type { BulkHistory } from './bulk-history.js';
import type { BackfillSummary, Series, SeriesKey } from '../../shared/domain.js';
import { lastClosedOpen, nextOpen, candleCount } from '../../shared/timeframe.js';

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
  /** Budget priority of its requests (engine/budget.ts PRIORITY); backfill by default. */
  priority?: number;
}

export interface BackfillRequest {
  key: SeriesKey;
  from: number;
  to: number;
}

/** Second looks in flight at once (each a request for a few candles). */
const SECOND_LOOK_CONCURRENCY = 16;

/**
 * A pass run again each time it is woken while some other work lasts (one run at a time; wakes
 * during a run make one more). Its first error is thrown when that work ends.
 */
class RepeatingPass {
  private woken = false;
  private running: Promise<void> | null = null;
  private failure: { error: unknown } | null = null;
  private readonly stop = new AbortController();

  constructor(private readonly pass: (signal: AbortSignal) => Promise<void>) {}

  wake(): void {
    this.woken = true;
    if (!this.running && !this.failure) this.running = this.drain().finally(() => (this.running = null));
  }

  async during<T>(work: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await work();
    } catch (error) {
      this.stop.abort();
      await this.settled();
      throw error;
    }
    await this.settled();
    if (this.failure) throw this.failure.error;
    return result;
  }

  private async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.woken && !this.failure) {
      this.woken = false;
      await this.pass(this.stop.signal).catch((error: unknown) => {
        this.failure = { error };
      });
    }
  }
}

/** Run passes side by side; the first to fail stops the others, and its error is the one thrown. */
async function together(passes: Array<(signal: AbortSignal) => Promise<unknown>>): Promise<void> {
  const stop = new AbortController();
  let first: { error: unknown } | null = null;
  await Promise.all(
    passes.map((pass) =>
      pass(stop.signal).catch((error: unknown) => {
        first ??= { error };
        stop.abort();
      }),
    ),
  );
  if (first) throw (first as { error: unknown }).error;
}

export async function backfill(deps: BackfillDeps, request: BackfillRequest, options: BackfillOptions = {}): Promise<BackfillSummary> {
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

  /** `windowsTotal` null: no progress reported (bulk history reports its own meanwhile). */
  const run = async (ranges: Range[], windowsTotal: number | null, concurrency = options.concurrency ?? 3, signal?: AbortSignal): Promise<number> => {
    const windows = ranges.flatMap((r) => source.windows(timeframe, r.from, r.to));
    return fetchInOrder(windows, windowsTotal, concurrency, signal, (window, result) => {
      series ??= store.series.ensure(key, request.from, clock.now());
      commit(series, window, result);
    });
  };

  let windowsDone = 0;
  const fetchInOrder = async (
    windows: Range[],
    windowsTotal: number | null,
    parallel: number,
    passSignal: AbortSignal | undefined,
    commit: (window: Range, result: WindowResult) => void,
  ): Promise<number> => {
    const controller = new AbortController();
    // Every request in flight (and its retry and budget waits) listens to this signal.
    setMaxListeners(0, controller.signal);
    const abort = (): void => controller.abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    passSignal?.addEventListener('abort', abort, { once: true });
    const inFlight: Array<Promise<WindowResult>> = [];
    const concurrency = Math.max(1, parallel);
    let next = 0;
    const launch = (): void => {
      const window = windows[next++]!;
      const attempt = (): Promise<WindowResult> =>
        source.fetchWindow({ symbol: key.symbol, timeframe, from: window.from, to: window.to, priority: options.priority }, controller.signal);
      const p = withRetry(clock, deps.retry ?? DEFAULT_RETRY, attempt, { signal: controller.signal, onRetry: () => tally.requests++ });
      p.catch(() => undefined); // observed below, in order
      inFlight.push(p);
    };
    try {
      while (next < windows.length && inFlight.length < concurrency) launch();
      for (let i = 0; i < windows.length; i++) {
        const result = await inFlight.shift()!;
        if (next < windows.length) launch();
        // Parsing and committing are separate turns of the event loop, so neither adds to the other.
        await yieldToEventLoop();
        tally.requests += result.requests;
        commit(windows[i]!, result);
        windowsDone++;
        if (windowsTotal === null) continue;
        const elapsed = (performance.now() - startedWall) / 1000;
        const rate = elapsed > 0 ? tally.stored / elapsed : 0;
        options.onProgress?.({
          windowsDone, windowsTotal, candlesStored: tally.stored, requests: tally.requests, rate,
          etaSec: windowsDone ? ((windowsTotal - windowsDone) * elapsed) / windowsDone : null,
        });
      }
    } finally {
      controller.abort();
      options.signal?.removeEventListener('abort', abort);
      passSignal?.removeEventListener('abort', abort);
    }
    return windows.length;
  };

  const commit = (s: Series, window: Range, result: WindowResult): void => {
    const { stored, lastTs } = commitWindow(store, s, window, result, liveEdge, clock.now(), { hasVolume: source.capabilities.hasVolume, ...deps.commit });
    tally.stored += stored;
    if (stored > 0) deps.onStored?.(s.id, stored, lastTs);
  };

  if (request.from >= request.to) throw new SourceError('the range is empty: --from must be before --to', 'rejected');
  const windowsIn = (ranges: Range[]): number => ranges.reduce((n, r) => n + source.windows(timeframe, r.from, r.to).length, 0);
  let missing = missingRanges(store, series?.id ?? null, timeframe, request.from, to);
  // Second look at holes first seen in this run: confirmed_empty only if the source is empty again.
  // They are small, independent requests: more of them in flight (the budget still paces them).
  const secondLooks = Math.max(SECOND_LOOK_CONCURRENCY, options.concurrency ?? 3);
  const looked = new Set<number>();
  /** Holes seen once in this run and not given their second look yet (each is taken once). */
  const unlooked = (): Range[] => {
    if (!series) return [];
    const holes = store.holes
      .overlapping(series.id, request.from, to)
      .filter((h) => h.state === 'open' && h.attempts === 1 && !looked.has(h.fromTs));
    for (const h of holes) looked.add(h.fromTs);
    return holes.map((h) => ({ from: Math.max(h.fromTs, request.from), to: Math.min(h.toTs, to) }));
  };
  let lookedEarly = 0;
  if (deps.bulk && missing.length) {
    // Holes the archives show get their second look while later files are still being stored: the
    // looks wait on the network, the storing on the CPU.
    const early = new RepeatingPass(async (signal) => {
      const holes = unlooked();
      lookedEarly += windowsIn(holes);
      if (holes.length) await run(holes, null, secondLooks, signal);
    });
    const onStored = (seriesId: number, count: number, lastTs: number | null): void => {
      deps.onStored?.(seriesId, count, lastTs);
      early.wake();
    };
    const ensureSeries = (): Series => (series ??= store.series.ensure(key, request.from, clock.now()));
    const bulk = await early.during(() => deps.bulk!.fill({ key, ranges: missing, liveEdge, signal: options.signal, onStored, series: ensureSeries }));
    tally.stored += bulk.stored;
    tally.requests += bulk.requests;
    missing = bulk.remaining;
  }
  // Holes still without a second look are looked at while the rest is fetched over REST; then the
  // holes first seen over REST.
  const archiveHoles = unlooked();
  const firstPassWindows = lookedEarly + windowsIn(missing) + windowsIn(archiveHoles);
  await together([
    (signal) => run(missing, firstPassWindows, undefined, signal),
    (signal) => run(archiveHoles, firstPassWindows, secondLooks, signal),
  ]);
  const restHoles = unlooked();
  await run(restHoles, firstPassWindows + windowsIn(restHoles), secondLooks);

  // Market-closed ranges are stored (so they are not fetched again) but are not holes to report.
  const holes = series ? store.holes.overlapping(series.id, request.from, request.to).filter((h) => h.state !== 'market_closed') : [];
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
