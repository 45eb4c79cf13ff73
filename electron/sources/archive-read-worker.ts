/**
 * The archive reader's worker thread (see archive-reader.ts): unzips and parses archives off the
 * main thread, which meanwhile stores the previous file (and, in the desktop app, serves the window).
 */
import { parentPort } from 'node:worker_threads';
import { readArchivePacked } from './archive-read.js';
import type { ArchiveReadReply, ArchiveReadRequest } from './archive-reader.js';

parentPort!.on('message', (request: ArchiveReadRequest) => {
  readArchivePacked(Buffer.from(request.zip), request.period, request.name).then(
    (outcome) => {
      const transfer = outcome.status === 'ok' ? [outcome.packed.buffer as ArrayBuffer] : [];
      parentPort!.postMessage({ id: request.id, outcome } satisfies ArchiveReadReply, transfer);
    },
    (err: unknown) =>
      parentPort!.postMessage({
        id: request.id,
        error: err instanceof Error ? err.message : String(err),
      } satisfies ArchiveReadReply),
  );
});
