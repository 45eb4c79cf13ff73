/**
 * What the server's main thread and its read workers say to each other (read-pool.ts, read-worker.ts).
 * Every request carries an id; a reply names it. An export answers many chunks, each taken back with
 * an `ack` before the worker reads on, so a slow download holds the worker's export, never its memory.
 */
import type { CandleBucketsResult, Series } from '../../shared/domain.js';
import type { GapMapResult } from '../../shared/contract.js';
import type { ExportFormat } from '../export/export-formats.js';

export interface BucketsArgs {
  seriesId: number;
  from: number;
  to: number;
  maxBuckets: number;
}

export interface GapMapArgs {
  series: Series;
  from: number;
  to: number;
  maxBuckets: number;
  liveEdge: number;
}

export interface ExportArgs {
  /** The whole series row: the Parquet file's metadata records it as it is. */
  series: Series;
  from: number;
  to: number;
  format: ExportFormat;
}

/** An answer of the local candle API: status and the JSON text, as UTF-8 bytes from a worker. */
export interface ApiAnswer {
  status: number;
  body: string | Uint8Array;
  /** The body lives in a worker's answer arena: call once it is written out, so the slot can be reused. */
  release?: () => void;
}

/**
 * Each worker writes API answers into slots of memory it shares with the main thread, which writes
 * them to the socket and frees the slot: no new buffer per answer on the main thread, whose garbage
 * collector (pausing the engine) otherwise ran every half second under 50 readers. An answer that
 * does not fit a slot, or finds none free, is moved as a buffer of its own.
 */
export const ARENA_SLOTS = 32;
export const ARENA_SLOT_BYTES = 256 * 1024;
/** Slot flags (0 free, 1 taken) first, then the slots. */
const ARENA_HEADER_BYTES = 8 * Math.ceil((ARENA_SLOTS * 4) / 8);

export function newArena(): SharedArrayBuffer {
  return new SharedArrayBuffer(ARENA_HEADER_BYTES + ARENA_SLOTS * ARENA_SLOT_BYTES);
}

export const arenaFlags = (arena: SharedArrayBuffer): Int32Array => new Int32Array(arena, 0, ARENA_SLOTS);

export const arenaSlot = (arena: SharedArrayBuffer, slot: number, length = ARENA_SLOT_BYTES): Uint8Array =>
  new Uint8Array(arena, ARENA_HEADER_BYTES + slot * ARENA_SLOT_BYTES, length);

export type ReadRequest =
  /** `now` is the main thread's clock: "the newest candles" means the same instant on every thread. */
  | { id: number; kind: 'api'; method: string; path: string; query: string; now: number }
  | { id: number; kind: 'buckets'; args: BucketsArgs }
  | { id: number; kind: 'gap-map'; args: GapMapArgs }
  | { id: number; kind: 'export'; args: ExportArgs }
  /** The main thread took an export's chunk (or the download went away: `cancel`). */
  | { id: number; kind: 'ack' }
  | { id: number; kind: 'cancel' };

export type ReadReply =
  | { id: number; api: ApiAnswer }
  | { id: number; arena: { status: number; slot: number; length: number } }
  | { id: number; result: CandleBucketsResult | GapMapResult }
  | { id: number; chunk: Uint8Array }
  | { id: number; done: true }
  | { id: number; error: { name: string; message: string } };

/** Sent once by a worker: its connection is open (`ready`) or could not be (`fatal`). */
export type WorkerStatus = { ready: true } | { fatal: string };

export interface ReadWorkerData {
  file: string;
  nativeBinding?: string;
  arena: SharedArrayBuffer;
}

/** An error as it crosses threads: its name and first line only, as the contract's envelope carries it. */
export function errorData(err: unknown): { name: string; message: string } {
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: e.name, message: e.message.split('\n')[0]!.slice(0, 500) };
}

/** The error again on the receiving side, with the name the handlers and envelopes use. */
export function errorFrom(data: { name: string; message: string }): Error {
  const err = new Error(data.message);
  err.name = data.name;
  return err;
}
