/**
 * The read workers of `serve`: a few threads, each with its own read-only connection to the database,
 * that answer the heavy reads (reads.ts) so 50 clients paging through a year of klines never stall the
 * engine's event loop, its live tails or /healthz. A request goes to the worker with the fewest in
 * flight. A worker that dies is replaced, and what it held fails with the usual one-line error; if
 * workers cannot start at all (three deaths in a row before one opened its connection), reads run on
 * the main thread instead. The worker module starts as worker-thread.ts says (source or built file).
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../worker-thread.js';
import type { CandleSink } from '../export/candle-sink.js';
import type { Reads } from './reads.js';
import {
  arenaFlags,
  arenaSlot,
  errorFrom,
  newArena,
  type ReadReply,
  type ReadRequest,
  type ReadWorkerData,
  type WorkerStatus,
} from './read-protocol.js';

/** Threads when not told: one per core beyond the main thread's, at least one, at most four. */
export function defaultReadWorkers(): number {
  return Math.max(1, Math.min(4, os.availableParallelism() - 1));
}

const STARTUP_FAILURES_TO_GIVE_UP = 3;
const CLOSE_GRACE_MS = 2_000;

const startWorker = (data: ReadWorkerData): Worker =>
  startModuleWorker('read-worker', import.meta.url, { workerData: data });

interface Pending {
  resolve: (value: never) => void;
  reject: (err: Error) => void;
  /** An export's chunks, each acknowledged once the sink took it. */
  chunk?: (bytes: Uint8Array) => void;
}

interface Slot {
  worker: Worker;
  /** Where the worker writes API answers (read-protocol.ts). */
  arena: SharedArrayBuffer;
  pending: Map<number, Pending>;
  ready: boolean;
}

export interface ReadPoolOptions {
  file: string;
  size: number;
  nativeBinding?: string;
  /** Where reads go once workers cannot start. */
  fallback: Reads;
  /** Told when a worker dies or the pool falls back (the log). */
  onTrouble?: (message: string) => void;
}

export class ReadPool implements Reads {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private failuresInARow = 0;
  private broken = false;
  private closing = false;
  private answeredByWorkers = 0;

  constructor(private readonly options: ReadPoolOptions) {
    for (let i = 0; i < options.size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const arena = newArena();
    const slot: Slot = {
      worker: startWorker({ file: this.options.file, nativeBinding: this.options.nativeBinding, arena }),
      arena,
      pending: new Map(),
      ready: false,
    };
    slot.worker.on('message', (message: ReadReply | WorkerStatus) => this.receive(slot, message));
    slot.worker.on('error', (err) => this.options.onTrouble?.(`a read worker failed: ${err.message}`));
    slot.worker.on('exit', (code) => this.exited(slot, code));
    // Idle workers never keep the process alive; the server's socket does while it listens. After
    // the listeners: adding a 'message' listener refs the worker again.
    slot.worker.unref();
    return slot;
  }

  private receive(slot: Slot, message: ReadReply | WorkerStatus): void {
    if ('ready' in message) {
      slot.ready = true;
      this.failuresInARow = 0;
      return;
    }
    if ('fatal' in message)
      return this.options.onTrouble?.(`a read worker could not open the database: ${message.fatal}`);
    const waiting = slot.pending.get(message.id);
    if (!waiting) return;
    if ('chunk' in message) return waiting.chunk?.(message.chunk);
    slot.pending.delete(message.id);
    if (!slot.pending.size) slot.worker.unref();
    if ('error' in message) return waiting.reject(errorFrom(message.error));
    this.answeredByWorkers++;
    if ('api' in message) return waiting.resolve(message.api as never);
    if ('arena' in message) {
      const { status, slot: at, length } = message.arena;
      const flags = arenaFlags(slot.arena);
      // A view of the shared slot, not a copy: the worker writes there again only once it is released.
      const view = arenaSlot(slot.arena, at, length);
      const body = Buffer.from(view.buffer, view.byteOffset, length);
      return waiting.resolve({ status, body, release: () => Atomics.store(flags, at, 0) } as never);
    }
    if ('result' in message) return waiting.resolve(message.result as never);
    waiting.resolve(undefined as never);
  }

  private exited(slot: Slot, code: number): void {
    const index = this.slots.indexOf(slot);
    const held = [...slot.pending.values()];
    slot.pending.clear();
    for (const p of held) p.reject(new Error(`the read worker stopped (exit code ${code}); try again`));
    if (this.closing || index < 0) return;
    if (!slot.ready) this.failuresInARow++;
    if (this.failuresInARow >= STARTUP_FAILURES_TO_GIVE_UP) {
      this.broken = true;
      this.slots.splice(index, 1);
      this.options.onTrouble?.('read workers cannot start: reads run on the main thread');
      return;
    }
    this.options.onTrouble?.(`a read worker stopped (exit code ${code}); starting another`);
    this.slots[index] = this.spawn();
  }

  /** The worker with the fewest requests in flight. */
  private pick(): Slot | null {
    if (this.broken || this.closing || !this.slots.length) return null;
    return this.slots.reduce((best, s) => (s.pending.size < best.pending.size ? s : best));
  }

  private send<T>(slot: Slot, request: ReadRequest, chunk?: (bytes: Uint8Array) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      slot.pending.set(request.id, { resolve: resolve as (value: never) => void, reject, chunk });
      slot.worker.ref();
      slot.worker.postMessage(request);
    });
  }

  api: Reads['api'] = (method, path, query, now) => {
    const slot = this.pick();
    return slot
      ? this.send(slot, { id: this.nextId++, kind: 'api', method, path, query, now })
      : this.options.fallback.api(method, path, query, now);
  };

  buckets: Reads['buckets'] = (args) => {
    const slot = this.pick();
    return slot ? this.send(slot, { id: this.nextId++, kind: 'buckets', args }) : this.options.fallback.buckets(args);
  };

  gapMap: Reads['gapMap'] = (args) => {
    const slot = this.pick();
    return slot ? this.send(slot, { id: this.nextId++, kind: 'gap-map', args }) : this.options.fallback.gapMap(args);
  };

  exportTo: Reads['exportTo'] = (args, sink: CandleSink) => {
    const slot = this.pick();
    if (!slot) return this.options.fallback.exportTo(args, sink);
    const id = this.nextId++;
    const worker = slot.worker;
    return this.send<void>(slot, { id, kind: 'export', args }, (bytes) => {
      sink.write(bytes).then(
        () => worker.postMessage({ id, kind: 'ack' } satisfies ReadRequest),
        () => worker.postMessage({ id, kind: 'cancel' } satisfies ReadRequest),
      );
    });
  };

  served(): { worker: number; loop: number } {
    return { worker: this.answeredByWorkers, loop: this.options.fallback.served().loop };
  }

  threads(): number {
    return this.slots.length;
  }

  /** The workers running now, for diagnostics and tests. */
  running(): readonly Worker[] {
    return this.slots.map((s) => s.worker);
  }

  /** Each worker closes its connection and ends; one that does not within a grace period is ended. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      this.slots.map(
        ({ worker }) =>
          new Promise<void>((resolve) => {
            const timeout = setTimeout(() => void worker.terminate(), CLOSE_GRACE_MS);
            worker.once('exit', () => {
              clearTimeout(timeout);
              resolve();
            });
            worker.postMessage('close');
          }),
      ),
    );
    this.slots.length = 0;
  }
}
