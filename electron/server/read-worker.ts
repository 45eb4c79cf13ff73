/**
 * A read worker of `serve` (see read-pool.ts): its own read-only connection to the database, answering
 * the candle API, exports, chart buckets and gap maps off the main thread, whose event loop the engine
 * and its live tails share. In WAL mode each statement reads the newest committed state, so a candle
 * the engine stored is in the next answer.
 */
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { Store } from '../store/store.js';
import type { CandleSink } from '../export/candle-sink.js';
import { readOps } from './reads.js';
import {
  arenaFlags,
  arenaSlot,
  ARENA_SLOTS,
  errorData,
  type ReadReply,
  type ReadRequest,
  type ReadWorkerData,
  type WorkerStatus,
} from './read-protocol.js';

const port = parentPort!;
const { file, nativeBinding, arena } = workerData as ReadWorkerData;
const encoder = new TextEncoder();
const flags = arenaFlags(arena);

/** The text written into a free slot of the arena, or null when none is free or it does not fit. */
function intoArena(text: string): { slot: number; length: number } | null {
  for (let slot = 0; slot < ARENA_SLOTS; slot++) {
    if (Atomics.compareExchange(flags, slot, 0, 1) !== 0) continue;
    const { read, written } = encoder.encodeInto(text, arenaSlot(arena, slot));
    if (read === text.length) return { slot, length: written };
    Atomics.store(flags, slot, 0);
    return null;
  }
  return null;
}

/**
 * Readers yield the CPU to the main thread, where the engine's live tails, /healthz and every
 * socket's writes run: on a machine with few cores a busy read worker otherwise pre-empts them (the
 * loop's and /healthz's p99 over 50 ms). Linux keeps a nice value per thread, so this lowers only
 * this thread; elsewhere it would lower the whole process, so it is left alone there.
 */
const READER_NICENESS = 5;
if (process.platform === 'linux') {
  try {
    os.setPriority(0, Math.min(19, os.getPriority(0) + READER_NICENESS));
  } catch {
    // Not allowed here (a container's seccomp profile, say): the reads run at the usual priority.
  }
}

let store: Store;
try {
  store = Store.open(file, { readonly: true, nativeBinding });
  port.postMessage({ ready: true } satisfies WorkerStatus);
} catch (err) {
  port.postMessage({ fatal: (err as Error).message } satisfies WorkerStatus);
  process.exit(1);
}

const reply = (message: ReadReply, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

/** Exports waiting for the main thread to take their last chunk. */
const waiting = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();

function exportSink(id: number): CandleSink {
  return {
    write(chunk) {
      // A fresh buffer of its own, so it can be moved rather than copied (a string's bytes, or a copy of a view).
      const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : new Uint8Array(chunk);
      return new Promise<void>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        reply({ id, chunk: bytes }, [bytes.buffer as ArrayBuffer]);
      });
    },
  };
}

function settle(id: number, err?: Error): void {
  const w = waiting.get(id);
  if (!w) return;
  waiting.delete(id);
  if (err) w.reject(err);
  else w.resolve();
}

port.on('message', (request: ReadRequest | 'close') => {
  if (request === 'close') {
    store.close();
    port.close();
    return;
  }
  const { id } = request;
  try {
    switch (request.kind) {
      case 'api': {
        const answer = readOps.api(store, request.method, request.path, request.query, request.now);
        const shared = intoArena(answer.body as string);
        if (shared) return reply({ id, arena: { status: answer.status, ...shared } });
        const body = encoder.encode(answer.body as string);
        return reply({ id, api: { status: answer.status, body } }, [body.buffer as ArrayBuffer]);
      }
      case 'buckets':
        return reply({ id, result: readOps.buckets(store, request.args) });
      case 'gap-map':
        return reply({ id, result: readOps.gapMap(store, request.args) });
      case 'export':
        readOps.exportTo(store, request.args, exportSink(id)).then(
          () => reply({ id, done: true }),
          (err: unknown) => reply({ id, error: errorData(err) }),
        );
        return;
      case 'ack':
        return settle(id);
      case 'cancel':
        return settle(id, new Error('download cancelled'));
    }
  } catch (err) {
    reply({ id, error: errorData(err) });
  }
});
