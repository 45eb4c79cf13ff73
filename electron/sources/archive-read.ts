/**
 * Reading one downloaded Binance kline archive whose checksum matched: unzip it, parse the one CSV
 * inside strictly, and check every candle lies in the file's period. A file that still fails is
 * corrupt at the source. Pure (no I/O, no state), so it runs the same on the main thread and in
 * the archive reader's worker (archive-reader.ts).
 */
import type { Candle } from '../../shared/domain.js';
import { unzipEntries, type ZipEntry } from './archive-zip.js';
import type { ArchivePeriod } from './binance-archive-layout.js';
import { ArchiveFormatError, parseArchiveCsv, type TimestampUnit } from './binance-archive-csv.js';

export type ReadOutcome = { status: 'ok'; candles: Candle[]; unit: TimestampUnit | null } | { status: 'corrupt'; detail: string };

export async function readArchive(zip: Buffer, period: ArchivePeriod, name: string): Promise<ReadOutcome> {
  let entries: ZipEntry[];
  try {
    entries = await unzipEntries(zip);
  } catch (err) {
    return { status: 'corrupt', detail: `${name} does not unzip: ${(err as Error).message}` };
  }
  const csv = entries.find((e) => e.name.endsWith('.csv'));
  if (!csv) return { status: 'corrupt', detail: `${name} holds no CSV file` };
  const { name: csvName, bytes } = csv;
  try {
    const { candles, unit } = parseArchiveCsv(bytes);
    const outside = candles.find((c) => c.ts < period.from || c.ts >= period.to);
    if (outside) return { status: 'corrupt', detail: `${name} holds a candle at ${new Date(outside.ts).toISOString()}, outside ${period.label}` };
    return { status: 'ok', candles, unit };
  } catch (err) {
    if (err instanceof ArchiveFormatError) return { status: 'corrupt', detail: `${csvName} ${err.message}` };
    throw err;
  }
}

const FIELDS = 6;

/** Candles as one Float64Array (ts, open, high, low, close, volume; NaN for no volume): moved between threads without copying. */
export function packCandles(candles: readonly Candle[]): Float64Array {
  const out = new Float64Array(candles.length * FIELDS);
  for (let i = 0, o = 0; i < candles.length; i++, o += FIELDS) {
    const c = candles[i]!;
    out[o] = c.ts;
    out[o + 1] = c.open;
    out[o + 2] = c.high;
    out[o + 3] = c.low;
    out[o + 4] = c.close;
    out[o + 5] = c.volume ?? NaN;
  }
  return out;
}

export function unpackCandles(packed: Float64Array): Candle[] {
  const out = new Array<Candle>(packed.length / FIELDS);
  for (let i = 0, o = 0; o < packed.length; i++, o += FIELDS) {
    const volume = packed[o + 5]!;
    out[i] = { ts: packed[o]!, open: packed[o + 1]!, high: packed[o + 2]!, low: packed[o + 3]!, close: packed[o + 4]!, volume: Number.isNaN(volume) ? null : volume };
  }
  return out;
}
