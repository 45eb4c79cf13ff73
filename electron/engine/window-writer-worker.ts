/**
 * The writer thread of a long backfill (window-writer.ts): its own connection to the SQLite file,
 * committing each batch of windows in one transaction through the same `commitWindow` as the main
 * thread. Once a batch fails, later ones are refused rather than stored past the failed windows, so
 * the backfill stops there as it does when it commits on its own thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Store } from '../store/store.js';
import { commitBatch, unpackCandles, type WriterData, type WriterReply, type WriterRequest } from './window-writer.js';

const { file, nativeBinding } = workerData as WriterData;
const store = Store.open(file, { nativeBinding });
let failed: string | null = null;

parentPort!.on('message', ({ id, series, windows, liveEdge, now, options }: WriterRequest) => {
  if (failed) return reply({ id, error: `not stored: an earlier batch failed (${failed})` });
  try {
    const batch = windows.map(({ window, packed, result, marketClosed, requests }) => ({
      window,
      result: result ?? { candles: unpackCandles(packed!), marketClosed, requests },
    }));
    reply({ id, results: commitBatch(store, { series, windows: batch, liveEdge, now, options }) });
  } catch (err) {
    failed = err instanceof Error ? err.message : String(err);
    reply({ id, error: failed });
  }
});

function reply(message: WriterReply): void {
  parentPort!.postMessage(message);
}
