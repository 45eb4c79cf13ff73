/**
 * Where Binance kline pages are parsed: a page of a backfill (up to 1,000 rows, ~180 KB) on a worker
 * thread, so parsing the next page runs beside storing this one; a small page (a live tail's) on the
 * calling thread, where a round trip would cost more than the parse. The worker only reads pages in
 * Binance's compact form (binance-kline-scan.ts); anything else, and everything when the worker cannot
 * run, goes through the strict parser here, so the result never depends on where it was read.
 */
import { klinePageOf, type ScannedKlines } from './binance-kline-scan.js';
import { parseKlineRows, type KlinePage } from './binance-wire.js';
import { startModuleWorker } from '../worker-thread.js';
import { OneWorker } from './one-worker.js';

export interface KlinePageRequest {
  id: number;
  bytes: Uint8Array;
}

export interface KlinePageReply {
  id: number;
  scan: ScannedKlines | null;
}

/** Pages below this size are parsed where they arrive. */
const WORKER_MIN_BYTES = 32 * 1024;
/** About what one kline row takes on the wire (twelve fields, prices with eight decimals). */
const ROW_BYTES = 170;

export class KlinePageParser {
  private readonly worker = new OneWorker<Buffer, KlinePageReply, KlinePage>(
    () => startModuleWorker('kline-page-worker', import.meta.url),
    {
      inline: (bytes) => parseKlineRows(bytes),
      answer: ({ scan }, bytes) => (scan ? klinePageOf(scan, bytes) : parseKlineRows(bytes)),
    },
  );

  /**
   * A page of about `rows` rows was just asked for: if it will go to the worker, start the worker now,
   * so its boot overlaps the request instead of delaying the first pages of a backfill.
   */
  expect(rows: number): void {
    if (rows * ROW_BYTES >= WORKER_MIN_BYTES) this.worker.boot();
  }

  parse(bytes: Buffer): Promise<KlinePage> {
    if (bytes.length < WORKER_MIN_BYTES) return Promise.resolve().then(() => parseKlineRows(bytes));
    // A copy for the worker (the response's buffer may be a slice of a shared pool); moved, not cloned.
    const copy = new Uint8Array(bytes);
    return this.worker.run(bytes, { bytes: copy }, [copy.buffer as ArrayBuffer]);
  }

  /** Stop the worker thread; pages it held, and all after, are read on this thread. */
  close(): Promise<void> {
    return this.worker.close();
  }
}

export const sharedKlinePageParser = new KlinePageParser();
