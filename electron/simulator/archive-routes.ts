/**
 * Binance's public data archive (data.binance.vision) as the simulator serves it under
 * /binance-data: zips and their `.CHECKSUM` files (sha256sum format: "<hex>  <name>\n"), only once
 * published, 404 with S3's NoSuchKey body otherwise. A few files are deliberately defective, at
 * places that are a pure function of (seed, symbol, interval, period) and listed by the control API
 * (GET /_sim/archive/defects): "missing" (both files 404) and "corrupt" (the zip is cut short, so its
 * sha256 differs from the CHECKSUM). Tests can also force a defect on any file.
 */
import type { SimRequest, SimResponse } from './http-util.js';
import type { VenueTruth } from './truth.js';
import type { Clock } from '../net/clock.js';
import { hashInts, hashString, unit } from './hash.js';
import {
  filesOverlapping,
  parseArchivePath,
  publishedAt,
  type ArchiveFile,
  type ArchiveGranularity,
} from './archive-layout.js';
import { ArchiveCache, buildArchive } from './archive-content.js';
import type { Timeframe } from '../../shared/timeframe.js';

export type ArchiveDefect = 'missing' | 'corrupt';

/** Chance that one file is missing, and that one is corrupt. */
const DEFECT_CHANCE = 1 / 100;

export interface ListedDefect {
  path: string;
  defect: ArchiveDefect;
  granularity: ArchiveGranularity;
  from: number;
  to: number;
}

function noSuchKey(key: string): SimResponse {
  return {
    status: 404,
    headers: { 'Content-Type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>${key}</Key></Error>`,
  };
}

export class BinanceArchive {
  private readonly cache = new ArchiveCache();
  /** Defects set by tests (null: force the file to be sound). */
  private readonly forced = new Map<string, ArchiveDefect | null>();

  constructor(
    private readonly seed: number,
    private readonly symbols: Map<string, VenueTruth>,
    private readonly clock: Clock,
  ) {}

  /** The file's deliberate defect, if any. */
  defectOf(file: ArchiveFile): ArchiveDefect | null {
    if (this.forced.has(file.path)) return this.forced.get(file.path)!;
    const d = new Date(file.from);
    const period =
      file.granularity === 'monthly' ? d.getUTCFullYear() * 12 + d.getUTCMonth() : Math.floor(file.from / 86_400_000);
    const h = unit(
      hashInts(this.seed, hashString(`${file.symbol}:${file.interval}:${file.granularity}`), 0xa7c4, period),
    );
    if (h < DEFECT_CHANCE) return 'missing';
    if (h < 2 * DEFECT_CHANCE) return 'corrupt';
    return null;
  }

  force(path: string, defect: ArchiveDefect | null | 'default'): void {
    if (defect === 'default') this.forced.delete(path);
    else this.forced.set(path, defect);
  }

  /** Defective files of a symbol and interval overlapping [from, to), both granularities. */
  defects(symbol: string, interval: Timeframe, from: number, to: number): ListedDefect[] {
    const files = [
      ...filesOverlapping('monthly', symbol, interval, from, to),
      ...filesOverlapping('daily', symbol, interval, from, to),
    ];
    return files.flatMap((f) => {
      const defect = this.defectOf(f);
      return defect ? [{ path: f.path, defect, granularity: f.granularity, from: f.from, to: f.to }] : [];
    });
  }

  /** Answer GET /binance-data/<path>. */
  async handle(req: SimRequest): Promise<SimResponse> {
    const key = req.path.replace(/^\/+/, '');
    if (req.method !== 'GET' && req.method !== 'HEAD') return { status: 405, body: '' };
    const parsed = parseArchivePath(key);
    const truth = parsed ? this.symbols.get(parsed.file.symbol) : undefined;
    if (!parsed || !truth) return noSuchKey(key);
    const { file, checksum } = parsed;
    // Nothing before the listing, nothing not yet published, and the deliberately missing files.
    if (file.to <= truth.asset.listedAt || publishedAt(file) > this.clock.now()) return noSuchKey(key);
    const defect = this.defectOf(file);
    if (defect === 'missing') return noSuchKey(key);
    const built = await this.cache.get(file.path, () => buildArchive(truth, file));
    if (checksum)
      return { status: 200, headers: { 'Content-Type': 'text/plain' }, body: `${built.sha256}  ${file.name}\n` };
    const bytes = defect === 'corrupt' ? built.zip.subarray(0, Math.floor((built.zip.length * 2) / 3)) : built.zip;
    // `json` carries raw bytes to the sender; the header makes them a zip.
    return {
      status: 200,
      headers: { 'Content-Type': 'application/zip' },
      body: null,
      json: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length),
    };
  }
}
