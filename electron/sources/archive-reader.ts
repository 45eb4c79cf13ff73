/**
 * Where archives are read: a worker thread when one can start, else the main thread. A month of 1m
 * candles is ~45k rows to unzip and parse; on the worker that work runs beside the main thread's
 * storing of the file before it (a six-year backfill is 72 of them) instead of before it.
 * The worker is the source file under tsx and vitest (tests, benches), and the built file beside the
 * bundle elsewhere: out/cli/archive-read-worker.js for the CLI (electron/cli/build.ts) and
 * out/main/archive-read-worker.js in the app (electron.vite.config.ts), each built as its own entry.
 */
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../worker-thread.js';
import { readArchivePacked, type PackedReadOutcome } from './archive-read.js';
import type { ArchivePeriod } from './binance-archive-layout.js';
import type { TimestampUnit } from './binance-archive-csv.js';
import { PackedCandles } from './packed-candles.js';

export interface ArchiveReadRequest {
  id: number;
  zip: Uint8Array;
  period: ArchivePeriod;
  name: string;
}

export type ArchiveReadReply = { id: number; outcome: PackedReadOutcome } | { id: number; error: string };

export type ReadOutcome = { status: 'ok'; rows: PackedCandles; unit: TimestampUnit | null } | { status: 'corrupt'; detail: string };

const unpacked = (outcome: PackedReadOutcome): ReadOutcome =>
  outcome.status === 'ok' ? { status: 'ok', rows: new PackedCandles(outcome.packed), unit: outcome.unit } : outcome;

/** Read on the calling thread. */
export async function readArchive(zip: Buffer, period: ArchivePeriod, name: string): Promise<ReadOutcome> {
  return unpacked(await readArchivePacked(zip, period, name));
}

export interface ArchiveReader {
  read(zip: Buffer, period: ArchivePeriod, name: string): Promise<ReadOutcome>;
}

/** Reads on the calling thread. */
export const inlineReader: ArchiveReader = { read: readArchive };

const startWorker = (): Worker => startModuleWorker('archive-read-worker', import.meta.url);

/** One worker, shared, started on first use; it does not keep the process alive while idle. */
export class WorkerArchiveReader implements ArchiveReader {
  private worker: Worker | null = null;
  private broken = false;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (o: ReadOutcome) => void; reject: (e: Error) => void; fallback: () => void }>();

  read(zip: Buffer, period: ArchivePeriod, name: string): Promise<ReadOutcome> {
    const worker = this.ensureWorker();
    if (!worker) return readArchive(zip, period, name);
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      // If the worker dies, this file is read here instead: a worker problem never fails a backfill.
      this.pending.set(id, { resolve, reject, fallback: () => void readArchive(zip, period, name).then(resolve, reject) });
      worker.ref();
      // A copy for the worker (the download's buffer may be a slice of a shared pool); moved, not cloned.
      const copy = new Uint8Array(zip);
      worker.postMessage({ id, zip: copy, period, name } satisfies ArchiveReadRequest, [copy.buffer as ArrayBuffer]);
    });
  }

  private ensureWorker(): Worker | null {
    if (this.broken) return null;
    if (this.worker) return this.worker;
    try {
      const worker = startWorker();
      worker.unref();
      worker.on('message', (reply: ArchiveReadReply) => this.answer(reply));
      worker.on('error', () => this.fail());
      worker.on('exit', () => this.fail());
      this.worker = worker;
      return worker;
    } catch {
      this.broken = true;
      return null;
    }
  }

  private answer(reply: ArchiveReadReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (!this.pending.size) this.worker?.unref();
    if ('error' in reply) return waiting.reject(new Error(reply.error));
    waiting.resolve(unpacked(reply.outcome));
  }

  /** The worker could not start or died: read everything here from now on, including what it held. */
  private fail(): void {
    this.broken = true;
    this.worker = null;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const w of waiting) w.fallback();
  }
}

export const sharedArchiveReader: ArchiveReader = new WorkerArchiveReader();
