/**
 * The server's heavy reads — the local candle API, export downloads, chart buckets and gap maps — behind
 * one interface, so the routes and handlers do not know where they run: on this thread (`inLoopReads`,
 * `serve --read-workers 0`) or on the read workers (read-pool.ts), each with its own read-only
 * connection. Both run the very same functions on the same file, so their answers are the same.
 */
import type { Store } from '../store/store.js';
import type { Clock } from '../net/clock.js';
import type { CandleBucketsResult } from '../../shared/domain.js';
import type { GapMapResult } from '../../shared/contract.js';
import type { CandleSink } from '../export/candle-sink.js';
import { candlePages } from '../export/candle-pages.js';
import { exportCandles } from '../export/export-formats.js';
import { CandleApi } from './candle-api.js';
import { bucketsFor } from './chart-buckets.js';
import { gapMap } from './gap-map.js';
import type { ApiAnswer, BucketsArgs, ExportArgs, GapMapArgs } from './read-protocol.js';

export interface Reads {
  /** GET /api/v3/* of the local candle API; `now` is the live edge "the newest candles" end at. */
  api(method: string, path: string, query: string, now: number): Promise<ApiAnswer>;
  buckets(args: BucketsArgs): Promise<CandleBucketsResult>;
  gapMap(args: GapMapArgs): Promise<GapMapResult>;
  /** Streams the export into `sink`, with its back-pressure; rejects when the sink does. */
  exportTo(args: ExportArgs, sink: CandleSink): Promise<void>;
  /** Reads answered so far, by where they ran (for /metrics). */
  served(): { worker: number; loop: number };
  /** Read threads running now (0 in the loop). */
  threads(): number;
  close(): Promise<void>;
}

/** A clock frozen at one instant, for a read asked at that instant. */
export const clockAt = (now: number): Clock => ({ now: () => now, sleep: () => Promise.resolve() });

/** The reads themselves, on whatever thread owns `store`: the worker and the loop both call these. */
export const readOps = {
  api: (store: Store, method: string, path: string, query: string, now: number): ApiAnswer =>
    new CandleApi(store, clockAt(now)).respond(method, path, new URLSearchParams(query)),
  buckets: (store: Store, args: BucketsArgs): CandleBucketsResult => bucketsFor(store, args),
  gapMap: (store: Store, a: GapMapArgs): GapMapResult =>
    gapMap(store, a.series, a.from, a.to, a.maxBuckets, a.liveEdge),
  exportTo: async (store: Store, a: ExportArgs, sink: CandleSink): Promise<void> => {
    await exportCandles(a.format, candlePages(store, a.series.id, a.from, a.to), sink, a.series);
  },
};

/** Reads on the calling thread, on the engine's own connection. */
export function inLoopReads(store: Store): Reads {
  let served = 0;
  const count = <T>(value: T): T => {
    served++;
    return value;
  };
  return {
    api: async (method, path, query, now) => count(readOps.api(store, method, path, query, now)),
    buckets: async (args) => count(readOps.buckets(store, args)),
    gapMap: async (args) => count(readOps.gapMap(store, args)),
    exportTo: async (args, sink) => count(await readOps.exportTo(store, args, sink)),
    served: () => ({ worker: 0, loop: served }),
    threads: () => 0,
    close: async () => undefined,
  };
}
