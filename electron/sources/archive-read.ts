/**
 * Reading one downloaded Binance kline archive whose checksum matched: unzip it, parse the one CSV
 * inside strictly, and check every candle lies in the file's period. A file that still fails is
 * corrupt at the source. Pure (no I/O, no state), so it runs the same on the main thread and in
 * the archive reader's worker (archive-reader.ts), which hands back the packed form.
 */
import { unzipEntries, type ZipEntry } from './archive-zip.js';
import type { ArchivePeriod } from './binance-archive-layout.js';
import { ArchiveFormatError, parseArchiveCsvPacked, type PackedArchive } from './binance-archive-csv.js';
import { PACKED_FIELDS } from './packed-candles.js';

export type PackedReadOutcome = ({ status: 'ok' } & PackedArchive) | { status: 'corrupt'; detail: string };

export async function readArchivePacked(zip: Buffer, period: ArchivePeriod, name: string): Promise<PackedReadOutcome> {
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
    const { packed, unit } = parseArchiveCsvPacked(bytes);
    for (let o = 0; o < packed.length; o += PACKED_FIELDS) {
      const ts = packed[o]!;
      if (ts < period.from || ts >= period.to)
        return {
          status: 'corrupt',
          detail: `${name} holds a candle at ${new Date(ts).toISOString()}, outside ${period.label}`,
        };
    }
    return { status: 'ok', packed, unit };
  } catch (err) {
    if (err instanceof ArchiveFormatError) return { status: 'corrupt', detail: `${csvName} ${err.message}` };
    throw err;
  }
}
