/**
 * Parsing one Binance kline archive CSV: the 12 REST kline columns, no header on spot (a header line,
 * as futures files have, is skipped), open and close times in milliseconds before 2025 and in
 * MICROseconds from 2025-01-01 on. The unit is detected per file from its first row and every row
 * must agree, so a file can never be half-misread. Strict like binance-wire.ts: anything odd throws.
 */
import type { Candle } from '../../shared/domain.js';

export type TimestampUnit = 'ms' | 'us';

export class ArchiveFormatError extends Error {
  override name = 'ArchiveFormatError';
}

/** ms timestamps have 13 digits until 2286; µs ones 16 from 2001 on. */
const MICROSECONDS_ABOVE = 1e14;

export interface ParsedArchive {
  candles: Candle[];
  unit: TimestampUnit | null;
}

const fail = (line: number, detail: string): ArchiveFormatError => new ArchiveFormatError(`line ${line}: ${detail}`);

export function parseArchiveCsv(text: string): ParsedArchive {
  const candles: Candle[] = [];
  let unit: TimestampUnit | null = null;
  let lineNo = 0;
  let start = 0;
  const fields = new Array<string>(7);
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
    lineNo++;
    if (line === '') continue;
    // Split the 7 fields we use; the remaining 5 (quote volume, trades, taker volumes, ignore) must exist.
    let from = 0;
    let count = 0;
    for (; count < 7; count++) {
      const comma = line.indexOf(',', from);
      if (comma < 0) break;
      fields[count] = line.slice(from, comma);
      from = comma + 1;
    }
    let columns = count + 1;
    for (let i = line.indexOf(',', from); i >= 0; i = line.indexOf(',', i + 1)) columns++;
    if (lineNo === 1 && !/^\d/.test(line)) continue; // header row (futures-style)
    if (count < 7 || columns !== 12) throw fail(lineNo, `expected 12 columns, found ${columns}`);
    const openRaw = Number(fields[0]);
    const closeRaw = Number(fields[6]);
    if (!Number.isSafeInteger(openRaw) || !Number.isSafeInteger(closeRaw)) throw fail(lineNo, 'open or close time is not an integer');
    const rowUnit: TimestampUnit = openRaw >= MICROSECONDS_ABOVE ? 'us' : 'ms';
    if (unit === null) unit = rowUnit;
    else if (rowUnit !== unit) throw fail(lineNo, `timestamp in ${rowUnit} in a file of ${unit} timestamps`);
    if (closeRaw <= openRaw || (closeRaw >= MICROSECONDS_ABOVE ? 'us' : 'ms') !== unit) throw fail(lineNo, 'close time does not follow open time');
    const ts = unit === 'us' ? openRaw / 1000 : openRaw;
    if (!Number.isInteger(ts)) throw fail(lineNo, 'open time is not a whole millisecond');
    const candle: Candle = {
      ts,
      open: decimal(fields[1]!, 'open', lineNo),
      high: decimal(fields[2]!, 'high', lineNo),
      low: decimal(fields[3]!, 'low', lineNo),
      close: decimal(fields[4]!, 'close', lineNo),
      volume: decimal(fields[5]!, 'volume', lineNo),
    };
    const previous = candles[candles.length - 1];
    if (previous && previous.ts >= ts) throw fail(lineNo, 'rows are not in ascending open-time order');
    candles.push(candle);
  }
  return { candles, unit };
}

function decimal(raw: string, field: string, line: number): number {
  const n = Number(raw);
  if (raw === '' || !Number.isFinite(n)) throw fail(line, `${field} is not a number: ${raw.slice(0, 20)}`);
  return n;
}
