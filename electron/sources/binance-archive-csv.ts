/**
 * Parsing one Binance kline archive CSV: the 12 REST kline columns, no header on spot (a header line,
 * as futures files have, is skipped), open and close times in milliseconds before 2025 and in
 * MICROseconds from 2025-01-01 on. The unit is detected per file from its first row and every row
 * must agree, so a file can never be half-misread. Strict like binance-wire.ts: anything odd throws.
 */
import type { Candle } from '../../shared/domain.js';
import { PACKED_FIELDS, PackedCandles } from './packed-candles.js';

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

/** The candles as packed rows (packed-candles.ts): what the reader's worker hands back, without copying. */
export interface PackedArchive {
  packed: Float64Array;
  unit: TimestampUnit | null;
}

const fail = (line: number, detail: string): ArchiveFormatError => new ArchiveFormatError(`line ${line}: ${detail}`);
const FIELDS = ['open time', 'open', 'high', 'low', 'close', 'volume', 'close time'] as const;
const unitOf = (t: number): TimestampUnit => (t >= MICROSECONDS_ABOVE ? 'us' : 'ms');

/** The CSV as it comes out of the zip (bytes), or as text. */
export function parseArchiveCsv(input: string | Uint8Array): ParsedArchive {
  const { packed, unit } = parseArchiveCsvPacked(input);
  return { candles: new PackedCandles(packed).toCandles(), unit };
}

export function parseArchiveCsvPacked(input: string | Uint8Array): PackedArchive {
  // One pass over the bytes: no string per row or per field (a six-year 1m backfill reads 22 million fields).
  const b = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  let out = new Float64Array(PACKED_FIELDS * 1024);
  let rows = 0;
  const values = new Float64Array(7);
  let unit: TimestampUnit | null = null;
  let line = 0;
  let i = 0;
  while (i < b.length) {
    line++;
    // A plain loop: Buffer#indexOf is a native call, dearer than scanning one short row here.
    let eol = i;
    while (eol < b.length && b[eol] !== NEWLINE) eol++;
    const rowStart = i;
    const rowEnd = eol > i && b[eol - 1] === RETURN ? eol - 1 : eol;
    i = eol + 1;
    if (rowEnd === rowStart) continue;
    if (line === 1 && !isDigit(b[rowStart]!)) continue; // header row (futures-style)
    // 12 columns: the 7 we use; the other 5 (quote volume, trades, taker volumes, ignore) must be there.
    let pos = rowStart;
    for (let f = 0; f < 7; f++) {
      let end = pos;
      while (end < rowEnd && b[end] !== COMMA) end++;
      if (end === rowEnd) throw fail(line, `expected 12 columns, found ${f + 1}`);
      values[f] = decimalAt(b, pos, end, f, line);
      pos = end + 1;
    }
    let columns = 8;
    for (let k = pos; k < rowEnd; k++) if (b[k] === COMMA) columns++;
    if (columns !== 12) throw fail(line, `expected 12 columns, found ${columns}`);
    const openRaw = values[0]!;
    const closeRaw = values[6]!;
    if (!Number.isSafeInteger(openRaw) || !Number.isSafeInteger(closeRaw))
      throw fail(line, 'open or close time is not an integer');
    const rowUnit = unitOf(openRaw);
    if (unit === null) unit = rowUnit;
    else if (rowUnit !== unit) throw fail(line, `timestamp in ${rowUnit} in a file of ${unit} timestamps`);
    if (closeRaw <= openRaw || unitOf(closeRaw) !== unit) throw fail(line, 'close time does not follow open time');
    const ts = unit === 'us' ? openRaw / 1000 : openRaw;
    if (!Number.isInteger(ts)) throw fail(line, 'open time is not a whole millisecond');
    if (rows > 0 && out[(rows - 1) * PACKED_FIELDS]! >= ts)
      throw fail(line, 'rows are not in ascending open-time order');
    if ((rows + 1) * PACKED_FIELDS > out.length) {
      const grown = new Float64Array(out.length * 2);
      grown.set(out);
      out = grown;
    }
    const o = rows++ * PACKED_FIELDS;
    out[o] = ts;
    out[o + 1] = values[1]!;
    out[o + 2] = values[2]!;
    out[o + 3] = values[3]!;
    out[o + 4] = values[4]!;
    out[o + 5] = values[5]!;
  }
  return { packed: out.slice(0, rows * PACKED_FIELDS), unit };
}

const NEWLINE = 10;
const COMMA = 44;
const DOT = 46;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * The number in b[from, to), exactly what Number() gives for its text. Plain decimals of up to 15
 * digits are read as an integer mantissa, exact below 2^53, over a power of ten, exact up to 10^22:
 * one IEEE division, so correctly rounded, the same double Number() makes. Anything else (signs,
 * exponents, longer digit strings, junk) goes to Number() itself.
 */
function decimalAt(b: Uint8Array, from: number, to: number, field: number, line: number): number {
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let dot = false;
  for (let k = from; k < to; k++) {
    const c = b[k]!;
    if (isDigit(c)) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (dot) scale++;
    } else if (c === DOT && !dot) {
      dot = true;
    } else {
      return numberOf(b, from, to, field, line);
    }
  }
  if (digits === 0 || (digits > 15 && (dot || mantissa > Number.MAX_SAFE_INTEGER)))
    return numberOf(b, from, to, field, line);
  return scale === 0 ? mantissa : mantissa / POW10[scale]!;
}

function numberOf(b: Uint8Array, from: number, to: number, field: number, line: number): number {
  const raw = String.fromCharCode(...b.subarray(from, Math.min(to, from + 64)));
  const n = to - from > 64 ? NaN : Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n))
    throw fail(line, `${FIELDS[field]} is not a number: ${raw.slice(0, 20)}`);
  return n;
}
