/**
 * The REST copies of archive files that could not be used (missing, corrupt, unreachable), fetched
 * as soon as that is known rather than after every other file is stored: their requests wait on the
 * network while the archive files around them keep the CPU busy, so a withheld month costs no time
 * at the end. One pool of requests serves every such file, oldest file first, a few in flight (as
 * many as a REST backfill sends).
 *
 * A file's windows are committed oldest first, once the files before it are stored (`release`),
 * and the files after it wait for that, because the gap ledger classifies a hole by what is stored
 * before it (before_listing or source_gap). A window that cannot be fetched (the source refuses, the job stops) and every
 * window after it are handed back, for the backfill's own REST pass, which reports the error.
 */
import { setMaxListeners } from 'node:events';
import type { Source, WindowResult } from '../sources/source.js';
import type { Clock } from '../net/clock.js';
import type { Range } from './hole-ledger.js';
import { withRetry, DEFAULT_RETRY, type RetryPolicy } from '../net/retry.js';
import { fetchWindowProven } from './evidence.js';
import type { Timeframe } from '../../shared/timeframe.js';

export interface RestFallbackOptions {
  source: Source;
  clock: Clock;
  symbol: string;
  timeframe: Timeframe;
  /** Exclusive end of closed candles (where a page's evidence stops mattering). */
  liveEdge: number;
  retry?: RetryPolicy;
  signal?: AbortSignal;
  /** Requests in flight at once, over all files. */
  concurrency?: number;
  /** Resolves when requests may go out (waits while the import is paused). */
  gate?: () => Promise<void>;
  /** Stores one fetched window (in order, once its file is released). */
  commit: (window: Range, result: WindowResult) => void;
}

interface FileFallback {
  windows: Range[];
  results: Array<Promise<WindowResult>>;
  /** Set on release: commits the windows in order; resolves with those left to fetch. */
  committed: Promise<Range[]> | null;
}

export class ArchiveRestFallback {
  /** Requests sent, retries included. */
  requests = 0;
  private readonly files = new Map<unknown, FileFallback>();
  private readonly waiting: Array<() => void> = [];
  private inFlight = 0;
  private readonly stop = new AbortController();

  constructor(private readonly o: RestFallbackOptions) {
    setMaxListeners(0, this.stop.signal);
    o.signal?.addEventListener('abort', () => this.stop.abort(), { once: true });
  }

  /** Start fetching a file's windows (`file` is any key the caller releases it by). */
  add(file: unknown, windows: Range[]): void {
    if (this.files.has(file)) return;
    this.files.set(file, { windows, results: windows.map((w) => this.fetch(w)), committed: null });
  }

  /**
   * The files before this one are stored: commit its windows as they arrive. Resolves when all are
   * committed, with the windows left to fetch (none when every one was stored).
   */
  release(file: unknown): Promise<Range[]> {
    const f = this.files.get(file);
    if (!f) return Promise.resolve([]);
    f.committed ??= this.commitInOrder(f);
    return f.committed;
  }

  private fetch(w: Range): Promise<WindowResult> {
    const started = this.turn().then(async () => {
      await this.o.gate?.();
      const retry = <T>(attempt: () => Promise<T>): Promise<T> =>
        withRetry(this.o.clock, this.o.retry ?? DEFAULT_RETRY, attempt, {
          signal: this.stop.signal,
          onRetry: () => this.requests++,
        });
      return fetchWindowProven(
        this.o.source,
        { symbol: this.o.symbol, timeframe: this.o.timeframe, from: w.from, to: w.to },
        this.o.liveEdge,
        this.stop.signal,
        retry,
      );
    });
    const next = (): void => {
      this.inFlight--;
      this.waiting.shift()?.();
    };
    // A window that failed after its retries stops the rest at once: the source is failing, and
    // the backfill's REST pass fetches them (and reports the error).
    started.then(next, () => {
      this.stop.abort();
      next();
    });
    return started;
  }

  /** Resolves when a request may start (at most `concurrency` in flight, first come first served). */
  private turn(): Promise<void> {
    if (this.inFlight < Math.max(1, this.o.concurrency ?? 3)) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((start) =>
      this.waiting.push(() => {
        this.inFlight++;
        start();
      }),
    );
  }

  private async commitInOrder(f: FileFallback): Promise<Range[]> {
    for (let i = 0; i < f.windows.length; i++) {
      let result: WindowResult;
      try {
        result = await f.results[i]!;
      } catch {
        return f.windows.slice(i);
      }
      this.requests += result.requests;
      if (this.o.signal?.aborted) return f.windows.slice(i);
      this.o.commit(f.windows[i]!, result);
    }
    return [];
  }
}
