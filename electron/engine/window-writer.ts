/**
 * Where a backfill commits its windows. A long backfill into an SQLite file hands them to a writer
 * thread with its own connection (window-writer-worker.ts), so that storing one batch runs on one
 * core while the next pages are fetched and parsed on the other: a year of 1m spends about as long
 * in SQLite as in everything else. Each batch is still one transaction through `commitWindow`, the
 * same code and the same ledger rules as on this thread. Short backfills, PostgreSQL (whose bridge
 * already waits on its own thread) and in-memory stores commit here.
 */
import type { Store } from '../store/store.js';
import type { WindowResult } from '../sources/source.js';
import type { Candle, Series } from '../../shared/domain.js';
import type { Range } from './hole-ledger.js';
import { commitWindow, type CommitOptions, type CommitResult } from './window-commit.js';
import { validateCandles } from './validate.js';
import { startModuleWorker } from '../worker-thread.js';
import { OneWorker } from '../sources/one-worker.js';

/** Windows of one series, committed in one transaction. */
export interface CommitBatch {
  series: Series;
  windows: ReadonlyArray<{ window: Range; result: WindowResult }>;
  liveEdge: number;
  now: number;
  options: CommitOptions;
}

export interface WindowWriter {
  /** Whether batches are committed on a thread of their own. */
  readonly threaded: boolean;
  /** Commit the batch whole or not at all; its windows' results, in order. */
  commit(batch: CommitBatch): Promise<CommitResult[]>;
  close(): Promise<void>;
}

/** Fewer windows than this are committed here: starting a thread would cost more than it saves. */
export const THREAD_MIN_WINDOWS = 16;

/** A writer for a backfill of `windows` windows into `store`. */
export function windowWriterFor(store: Store, windows: number): WindowWriter {
  const threaded = store.dialect === 'sqlite' && store.file !== ':memory:' && !store.readonly;
  return threaded && windows >= THREAD_MIN_WINDOWS ? new ThreadWriter(store) : new InlineWriter(store);
}

export function commitBatch(store: Store, batch: CommitBatch): CommitResult[] {
  return store.transaction(() =>
    batch.windows.map(({ window, result }) =>
      commitWindow(store, batch.series, window, result, batch.liveEdge, batch.now, batch.options),
    ),
  );
}

class InlineWriter implements WindowWriter {
  readonly threaded = false;

  constructor(private readonly store: Store) {}

  commit(batch: CommitBatch): Promise<CommitResult[]> {
    try {
      return Promise.resolve(commitBatch(this.store, batch));
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Each candle's six numbers, volume NaN where it is null (no valid volume is NaN). */
const FIELDS = 6;

/** A window as it travels to the writer thread: candles as one moved buffer, not a thousand objects. */
export interface PackedWindow {
  window: Range;
  /** Null when a candle fails validation: then `result` travels whole, with the source's own rows. */
  packed: Float64Array | null;
  result: WindowResult | null;
  marketClosed?: Range[];
  requests: number;
}

export interface WriterRequest {
  id: number;
  series: Series;
  windows: PackedWindow[];
  liveEdge: number;
  now: number;
  options: CommitOptions;
}

export type WriterReply = { id: number; results: CommitResult[] } | { id: number; error: string };

export interface WriterData {
  file: string;
  nativeBinding?: string;
}

export function packCandles(candles: readonly Candle[]): Float64Array {
  const out = new Float64Array(candles.length * FIELDS);
  let o = 0;
  for (const c of candles) {
    out[o++] = c.ts;
    out[o++] = c.open;
    out[o++] = c.high;
    out[o++] = c.low;
    out[o++] = c.close;
    out[o++] = c.volume ?? NaN;
  }
  return out;
}

export function unpackCandles(packed: Float64Array): Candle[] {
  const candles: Candle[] = new Array(packed.length / FIELDS);
  for (let i = 0, o = 0; o < packed.length; i++, o += FIELDS) {
    const volume = packed[o + 5]!;
    candles[i] = {
      ts: packed[o]!,
      open: packed[o + 1]!,
      high: packed[o + 2]!,
      low: packed[o + 3]!,
      close: packed[o + 4]!,
      volume: Number.isNaN(volume) ? null : volume,
    };
  }
  return candles;
}

/**
 * A raw row as plain data, the same for the quarantine on the other side: a source may keep its rows
 * as places in the response body (sources/binance-kline-scan.ts WireRow), which say what they are
 * through `toJSON` and would otherwise travel as the whole body.
 */
function plainRaw(raw: unknown): unknown {
  const json = (raw as { toJSON?: unknown } | null)?.toJSON;
  return typeof json === 'function' ? (json as () => unknown).call(raw) : raw;
}

/** The message for `batch`, and the buffers it moves. */
function packBatch(batch: CommitBatch): { message: Omit<WriterRequest, 'id'>; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const windows = batch.windows.map(({ window, result }): PackedWindow => {
    // A window with a candle that fails validation keeps the source's rows for the quarantine (rare:
    // every healthy page passes), so it travels as it is.
    const valid =
      batch.options.validate === false ||
      validateCandles(result.candles, {
        timeframe: batch.series.timeframe,
        window,
        now: batch.now,
        hasVolume: batch.options.hasVolume ?? false,
      }).rejected.length === 0;
    if (!valid)
      return { window, packed: null, result: { ...result, raw: result.raw?.map(plainRaw) }, requests: result.requests };
    const packed = packCandles(result.candles);
    transfer.push(packed.buffer as ArrayBuffer);
    return { window, packed, result: null, marketClosed: result.marketClosed, requests: result.requests };
  });
  const { series, liveEdge, now, options } = batch;
  return { message: { series, windows, liveEdge, now, options }, transfer };
}

class ThreadWriter implements WindowWriter {
  readonly threaded = true;
  private readonly worker: OneWorker<CommitBatch, WriterReply, CommitResult[]>;

  constructor(private readonly store: Store) {
    const workerData: WriterData = { file: store.file, nativeBinding: store.nativeBinding };
    this.worker = new OneWorker(() => startModuleWorker('window-writer-worker', import.meta.url, { workerData }), {
      // Only a thread that would not start or died comes here: a batch it committed before dying is
      // committed again, which stores nothing new and observes the same windows again.
      inline: (batch) => commitBatch(this.store, batch),
      answer: (reply) => {
        if ('error' in reply) throw new Error(reply.error);
        return reply.results;
      },
    });
  }

  commit(batch: CommitBatch): Promise<CommitResult[]> {
    const { message, transfer } = packBatch(batch);
    return this.worker.run(batch, message, transfer);
  }

  close(): Promise<void> {
    return this.worker.close();
  }
}
