/**
 * Where archives are read: a worker thread when one can start, else the main thread. A month of 1m
 * candles is ~45k rows to unzip and parse; on the worker that work runs beside the main thread's
 * storing of the file before it (a six-year backfill is 72 of them) instead of before it.
 * How the worker starts: electron/worker-thread.ts.
 */
import { startModuleWorker } from '../worker-thread.js';
import { OneWorker } from './one-worker.js';
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

export type ReadOutcome =
  { status: 'ok'; rows: PackedCandles; unit: TimestampUnit | null } | { status: 'corrupt'; detail: string };

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

/** Reads on one shared worker thread (on this thread when it cannot run). */
export class WorkerArchiveReader implements ArchiveReader {
  private readonly worker = new OneWorker<
    { zip: Buffer; period: ArchivePeriod; name: string },
    ArchiveReadReply,
    ReadOutcome
  >(() => startModuleWorker('archive-read-worker', import.meta.url), {
    inline: ({ zip, period, name }) => readArchive(zip, period, name),
    answer: (reply) => {
      if ('error' in reply) throw new Error(reply.error);
      return unpacked(reply.outcome);
    },
  });

  read(zip: Buffer, period: ArchivePeriod, name: string): Promise<ReadOutcome> {
    // A copy for the worker (the download's buffer may be a slice of a shared pool); moved, not cloned.
    const copy = new Uint8Array(zip);
    return this.worker.run({ zip, period, name }, { zip: copy, period, name }, [copy.buffer as ArrayBuffer]);
  }
}

export const sharedArchiveReader: ArchiveReader = new WorkerArchiveReader();
