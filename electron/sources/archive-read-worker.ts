/**
 * The archive reader's worker thread (see archive-reader.ts): unzips and parses archives off the
 * main thread, which meanwhile stores the previous file (and, in the desktop app, serves the window).
 */
import { parentPort } from 'node:worker_threads';
import { packCandles, readArchive } from './archive-read.js';
import type { ArchiveReadReply, ArchiveReadRequest } from './archive-reader.js';

parentPort!.on('message', (request: ArchiveReadRequest) => {
  readArchive(Buffer.from(request.zip), request.period, request.name).then(
    (outcome) => {
      if (outcome.status !== 'ok') return parentPort!.postMessage({ id: request.id, outcome } satisfies ArchiveReadReply);
      const packed = packCandles(outcome.candles);
      parentPort!.postMessage({ id: request.id, outcome: { status: 'ok', packed, unit: outcome.unit } } satisfies ArchiveReadReply, [packed.buffer as ArrayBuffer]);
    },
    (err: unknown) => parentPort!.postMessage({ id: request.id, error: err instanceof Error ? err.message : String(err) } satisfies ArchiveReadReply),
  );
});
