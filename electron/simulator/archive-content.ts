/**
 * The bytes of one archive file, built from the same ground truth and row formatting as the REST
 * klines (so the two can be cross-checked): the 12 kline columns as CSV, no header (spot), open and
 * close times in microseconds for periods from 2025-01-01 on and milliseconds before, zipped with
 * one entry named like the file. Built zips are cached (bounded) because a month of 1m candles is
 * ~45k rows and clients ask for the CHECKSUM and then the zip.
 */
import { createHash } from 'node:crypto';
import { crc32, deflateRawSync } from 'node:zlib';
import { Zip, type ZipInputFile } from 'fflate';
import type { TruthCandle, VenueTruth } from './truth.js';
import { WEEK_MS, nextOpen, type Timeframe } from '../../shared/timeframe.js';
import type { ArchiveFile } from './archive-layout.js';
import { publishedAt } from './archive-layout.js';

/** Spot archives switched to microsecond timestamps from this day on (binance-public-data README). */
export const MICROSECONDS_FROM = Date.UTC(2025, 0, 1);

export interface BuiltArchive {
  zip: Uint8Array;
  /** Lower-case hex sha256 of `zip`. */
  sha256: string;
  rows: number;
}

const PAD4 = Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, '0'));

/** http-util's fixed() (8 decimals out) without its string padding: this runs ~10 times per row. */
function fixed8(units: number, decimals: number): string {
  const scale = 10 ** decimals;
  const whole = Math.floor(units / scale);
  const frac8 = (units - whole * scale) * 10 ** (8 - decimals);
  return `${whole}.${PAD4[Math.floor(frac8 / 10_000)]}${PAD4[frac8 % 10_000]}`;
}

/**
 * One archive CSV row: the same 12 fields, formatted the same way, as binance-routes.ts klineRow
 * (archive-content.test.ts holds the two equal), written directly because a month of 1m is ~45k rows.
 */
export function archiveRow(c: TruthCandle, tf: Timeframe, decimals: number, micro: boolean): string {
  const avgPrice = (c.open + c.close) / 2 / 10 ** decimals;
  const takerBase = Math.floor(c.volume * 0.52);
  const close = nextOpen(tf, c.openTime);
  const openTime = micro ? c.openTime * 1000 : c.openTime;
  const closeTime = micro ? close * 1000 - 1 : close - 1;
  return `${openTime},${fixed8(c.open, decimals)},${fixed8(c.high, decimals)},${fixed8(c.low, decimals)},${fixed8(c.close, decimals)},${fixed8(c.volume, 8)},${closeTime},${((c.volume / 1e8) * avgPrice).toFixed(8)},${c.trades},${fixed8(takerBase, 8)},${((takerBase / 1e8) * avgPrice).toFixed(8)},0`;
}

/** The CSV text of a file: every closed candle with open time in [file.from, file.to). */
export function archiveCsv(truth: VenueTruth, file: ArchiveFile): { text: string; rows: number } {
  const micro = file.from >= MICROSECONDS_FROM;
  // Seen a week after the period ends, every candle opening in it (up to 1w long) has closed.
  const candles = truth.range(file.interval, file.from, file.to - 1, Number.MAX_SAFE_INTEGER, file.to + WEEK_MS).filter((c) => c.closed);
  let text = '';
  for (const c of candles) text += `${archiveRow(c, file.interval, truth.priceDecimals, micro)}\n`;
  return { text, rows: candles.length };
}

export function buildArchive(truth: VenueTruth, file: ArchiveFile): BuiltArchive {
  const { text, rows } = archiveCsv(truth, file);
  const zip = zipOne(file.name.replace(/\.zip$/, '.csv'), Buffer.from(text, 'latin1'), publishedAt(file));
  return { zip, sha256: createHash('sha256').update(zip).digest('hex'), rows };
}

/**
 * A zip with one deflated entry. fflate writes the container; the deflating is node's native zlib,
 * ~20x faster than fflate's on 6 MB of CSV. A fixed mtime keeps the bytes (and so the checksum)
 * identical however often the file is rebuilt.
 */
function zipOne(name: string, raw: Buffer, mtime: number): Uint8Array {
  const parts: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    parts.push(chunk);
  });
  const entry: ZipInputFile = { filename: name, size: raw.length, crc: crc32(raw), compression: 8, mtime: new Date(mtime) };
  zip.add(entry);
  entry.ondata!(null, deflateRawSync(raw, { level: 1 }), true);
  zip.end();
  return Buffer.concat(parts);
}

/** Least-recently-used cache of built archives, bounded in bytes. */
export class ArchiveCache {
  private readonly entries = new Map<string, BuiltArchive>();
  private bytes = 0;

  constructor(private readonly maxBytes = 384 * 1024 * 1024) {}

  get(path: string, build: () => BuiltArchive): BuiltArchive {
    const hit = this.entries.get(path);
    if (hit) {
      this.entries.delete(path);
      this.entries.set(path, hit);
      return hit;
    }
    const built = build();
    this.entries.set(path, built);
    this.bytes += built.zip.length;
    for (const [key, value] of this.entries) {
      if (this.bytes <= this.maxBytes || key === path) break;
      this.entries.delete(key);
      this.bytes -= value.zip.length;
    }
    return built;
  }
}
