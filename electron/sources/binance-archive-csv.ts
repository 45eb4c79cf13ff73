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
const RETURN = 13;

export interface ParsedArchive {
  candles: Candle[];
  unit: TimestampUnit | null;
}

const fail = (line: number, detail: string): ArchiveFormatError => new ArchiveFormatError(`line ${line}: ${detail}`);
const FIELDS = ['open time', 'open', 'high', 'low', 'close', 'volume', 'close time'] as const;
const unitOf = (t: number): TimestampUnit => (t >= MICROSECONDS_ABOVE ? 'us' : 'ms');

export function parseArchiveCsv(text: string): ParsedArchive {
  const candles: Candle[] = [];
  const fields = new Array<string>(7);
  let unit: TimestampUnit | null = null;
  let line = 0;
  let i = 0;
  while (i < text.length) {
    line++;
    let eol = text.indexOf('\n', i);
    if (eol < 0) eol = text.length;
    const row = text.charCodeAt(eol - 1) === RETURN ? text.slice(i, eol - 1) : text.slice(i, eol);
    i = eol + 1;
    if (row === '') continue;
    if (line === 1 && !/^\d/.test(row)) continue; // header row (futures-style)
    // The 7 fields we use; the other 5 (quote volume, trades, taker volumes, ignore) must be there.
    let from = 0;
    let count = 0;
    for (; count < 7; count++) {
      const comma = row.indexOf(',', from);
      if (comma < 0) break;
      fields[count] = row.slice(from, comma);
      from = comma + 1;
    }
    let columns = count + 1;
    for (let k = row.indexOf(',', from); k >= 0; k = row.indexOf(',', k + 1)) columns++;
    if (count < 7 || columns !== 12) throw fail(line, `expected 12 columns, found ${columns}`);
    const openRaw = numberOf(fields[0]!, 0, line);
    const closeRaw = numberOf(fields[6]!, 6, line);
    if (!Number.isSafeInteger(openRaw) || !Number.isSafeInteger(closeRaw)) throw fail(line, 'open or close time is not an integer');
    const rowUnit = unitOf(openRaw);
    if (unit === null) unit = rowUnit;
    else if (rowUnit !== unit) throw fail(line, `timestamp in ${rowUnit} in a file of ${unit} timestamps`);
    if (closeRaw <= openRaw || unitOf(closeRaw) !== unit) throw fail(line, 'close time does not follow open time');
    const ts = unit === 'us' ? openRaw / 1000 : openRaw;
    if (!Number.isInteger(ts)) throw fail(line, 'open time is not a whole millisecond');
    const previous = candles[candles.length - 1];
    if (previous && previous.ts >= ts) throw fail(line, 'rows are not in ascending open-time order');
    candles.push({
      ts,
      open: numberOf(fields[1]!, 1, line),
      high: numberOf(fields[2]!, 2, line),
      low: numberOf(fields[3]!, 3, line),
      close: numberOf(fields[4]!, 4, line),
      volume: numberOf(fields[5]!, 5, line),
    });
  }
  return { candles, unit };
}

function numberOf(raw: string, field: number, line: number): number {
  const n = Number(raw);
  if (raw === '' || !Number.isFinite(n)) throw fail(line, `${FIELDS[field]} is not a number: ${raw.slice(0, 20)}`);
  return n;
}
