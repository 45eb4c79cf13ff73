/**
 * The bytes of one archive file, built from the same ground truth and row formatting as the REST
 * klines (so the two can be cross-checked): the 12 kline columns as CSV, no header (spot), open and
 * close times in microseconds for periods from 2025-01-01 on and milliseconds before, zipped with
 * one deflated entry named like the file. Built zips are cached (bounded): clients ask for the
 * CHECKSUM and then the zip, and a month of 1m candles is ~45k rows.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { crc32, deflateRaw } from 'node:zlib';
import { Zip, type ZipInputFile } from 'fflate';
import type { VenueTruth } from './truth.js';
import { WEEK_MS } from '../../shared/timeframe.js';
import type { ArchiveFile } from './archive-layout.js';
import { publishedAt } from './archive-layout.js';
import { CsvWriter } from './archive-csv-writer.js';

/** Spot archives switched to microsecond timestamps from this day on (binance-public-data README). */
export const MICROSECONDS_FROM = Date.UTC(2025, 0, 1);

const deflate = promisify(deflateRaw);

export interface BuiltArchive {
  zip: Uint8Array;
  /** Lower-case hex sha256 of `zip`. */
  sha256: string;
  rows: number;
}

/** The CSV bytes of a file: every closed candle with open time in [file.from, file.to). */
export function archiveCsv(truth: VenueTruth, file: ArchiveFile): { bytes: Buffer; rows: number } {
  // Seen a week after the period ends, every candle opening in it (up to 1w long) has closed.
  const candles = truth
    .range(file.interval, file.from, file.to - 1, Number.MAX_SAFE_INTEGER, file.to + WEEK_MS)
    .filter((c) => c.closed);
  const micro = file.from >= MICROSECONDS_FROM;
  const writer = new CsvWriter(candles.length);
  for (const c of candles) writer.row(c, file.interval, truth.priceDecimals, micro);
  return { bytes: writer.bytes, rows: candles.length };
}

export async function buildArchive(truth: VenueTruth, file: ArchiveFile): Promise<BuiltArchive> {
  const { bytes, rows } = archiveCsv(truth, file);
  // Deflating runs on libuv's thread pool, beside the event loop that serves the client.
  const deflated = await deflate(bytes, { level: 1 });
  const zip = zipOne(file.name.replace(/\.zip$/, '.csv'), bytes, deflated, publishedAt(file));
  return { zip, sha256: createHash('sha256').update(zip).digest('hex'), rows };
}

/**
 * A zip with one deflated entry, written by fflate around bytes node's zlib deflated (~20x faster
 * than deflating in JS). A fixed mtime keeps the bytes, and so the checksum, the same on a rebuild.
 */
function zipOne(name: string, raw: Buffer, deflated: Buffer, mtime: number): Uint8Array {
  const parts: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    parts.push(chunk);
  });
  const entry: ZipInputFile = {
    filename: name,
    size: raw.length,
    crc: crc32(raw),
    compression: 8,
    mtime: new Date(mtime),
  };
  zip.add(entry);
  entry.ondata!(
    null,
    new Uint8Array(deflated.buffer, deflated.byteOffset, deflated.length) as Uint8Array<ArrayBuffer>,
    true,
  );
  zip.end();
  return Buffer.concat(parts);
}

/** Least-recently-used cache of built archives, bounded in bytes; concurrent asks share one build. */
export class ArchiveCache {
  private readonly entries = new Map<string, { built: Promise<BuiltArchive>; bytes: number }>();
  private bytes = 0;

  constructor(private readonly maxBytes = 384 * 1024 * 1024) {}

  get(path: string, build: () => Promise<BuiltArchive>): Promise<BuiltArchive> {
    const hit = this.entries.get(path);
    if (hit) {
      this.entries.delete(path);
      this.entries.set(path, hit);
      return hit.built;
    }
    const entry = { built: build(), bytes: 0 };
    this.entries.set(path, entry);
    entry.built.then(
      (b) => {
        entry.bytes = b.zip.length;
        this.bytes += b.zip.length;
        for (const [key, value] of this.entries) {
          if (this.bytes <= this.maxBytes || key === path) break;
          this.entries.delete(key);
          this.bytes -= value.bytes;
        }
      },
      () => this.entries.delete(path),
    );
    return entry.built;
  }
}
