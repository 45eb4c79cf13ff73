/**
 * A fast path for the one body shape Binance's /api/v3/klines really sends: compact JSON, every row
 * `[int,"dec","dec","dec","dec","dec",int,"dec",int,"dec","dec","dec"]`. It reads the numbers straight
 * from the text instead of building twelve strings per row, which is most of a backfill's CPU.
 *
 * It decides nothing on its own: any byte it does not expect (whitespace, an escape, an exponent, a
 * field of another type, "NaN", anything not ASCII) makes it return null, and the strict JSON path in
 * binance-wire.ts then parses the body and reports what is wrong. Where it does answer, its numbers
 * are exactly those of `Number(text)`: a decimal of at most 15 significant digits is an exact integer
 * divided by an exact power of ten, one correctly rounded division (the longer ones go through
 * `Number`). It reads the bytes as they came off the socket: decoding a page to a string first cost
 * a year's backfill about a fifth of its parsing time.
 */
import type { Candle } from '../../shared/domain.js';
import type { KlinePage } from './binance-wire.js';
import { PACKED_FIELDS, PackedCandles } from './packed-candles.js';

const QUOTE = 0x22;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const BACKSLASH = 0x5c;

/** 10^0 … 10^22, each exactly representable as a double. */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
const EXACT_DIGITS = 15;

/**
 * One wire row, kept as its place in the body: `JSON.stringify` turns it into the row Binance sent,
 * so a quarantined candle keeps its raw form without every good row paying for it.
 */
export class WireRow {
  constructor(
    private readonly body: Uint8Array,
    private readonly start: number,
    private readonly end: number,
  ) {}

  toJSON(): unknown {
    const { body, start, end } = this;
    return JSON.parse(textOf(body, start, end));
  }
}

/** Bytes [start, end) of `b` as UTF-8 text (a view, not a copy, until the string is made). */
export const textOf = (b: Uint8Array, start = 0, end = b.length): string =>
  Buffer.from(b.buffer, b.byteOffset, b.length).toString('utf8', start, end);

/** Reads past the end give undefined (typed as a number below), which no test here takes for a byte it expects. */
class Scanner {
  pos = 0;
  constructor(readonly s: Uint8Array) {}

  expect(code: number): boolean {
    if (this.s[this.pos] !== code) return false;
    this.pos++;
    return true;
  }

  /** A JSON integer (no fraction, no exponent, no leading zero); NaN when the text is anything else. */
  integer(): number {
    const { s } = this;
    const start = this.pos;
    const negative = s[this.pos] === MINUS;
    if (negative) this.pos++;
    const first = this.pos;
    let value = 0;
    for (let c = s[this.pos]!; c >= ZERO && c <= NINE; c = s[++this.pos]!) value = value * 10 + (c - ZERO);
    const digits = this.pos - first;
    if (digits === 0 || (digits > 1 && s[first] === ZERO) || digits > EXACT_DIGITS) {
      this.pos = start;
      return Number.NaN;
    }
    return negative ? -value : value;
  }

  /** A quoted plain decimal (`-?digits(.digits)?`); NaN when the string holds anything else. */
  decimal(): number {
    const { s } = this;
    if (!this.expect(QUOTE)) return Number.NaN;
    const start = this.pos;
    const negative = s[this.pos] === MINUS;
    if (negative) this.pos++;
    let mantissa = 0;
    let digits = 0;
    let fraction = -1;
    for (;;) {
      const c = s[this.pos]!;
      if (c >= ZERO && c <= NINE) {
        mantissa = mantissa * 10 + (c - ZERO);
        digits++;
        if (fraction >= 0) fraction++;
      } else if (c === DOT && fraction < 0 && digits > 0) {
        fraction = 0;
      } else {
        break;
      }
      this.pos++;
    }
    if (digits === 0 || fraction === 0 || !this.expect(QUOTE)) return Number.NaN;
    const places = Math.max(fraction, 0);
    if (digits > EXACT_DIGITS || places >= POW10.length) return Number(textOf(s, start, this.pos - 1));
    const value = mantissa / POW10[places]!;
    return negative ? -value : value;
  }

  /** Step over a string without escapes or control characters; false on anything else. */
  skipString(): boolean {
    const { s } = this;
    if (!this.expect(QUOTE)) return false;
    for (let c = s[this.pos]; c !== QUOTE; c = s[++this.pos]) {
      // Past the end (undefined), a control character, an escape or a byte not ASCII.
      if (c === undefined || c < 0x20 || c === BACKSLASH || c > 0x7e) return false;
    }
    this.pos++;
    return true;
  }
}

/** Values per row in `ScannedKlines.values`: open time, open, high, low, close, volume (as PackedCandles). */
export const SCANNED_FIELDS = PACKED_FIELDS;
/** The shortest row the compact form allows: `[0,"0","0","0","0","0",0,"",0,"","",""]`. */
const SHORTEST_ROW = 38;

/** A page read by the fast path, packed so it can move between threads without copying. */
export interface ScannedKlines {
  count: number;
  /** `SCANNED_FIELDS` numbers per row. */
  values: Float64Array;
  /** Each row's close time. */
  closeTimes: Float64Array;
  /** Each row's [start, end) in the bytes scanned. */
  bounds: Int32Array;
}

/** The kline body read by the fast path, or null when it is not in Binance's exact compact form. */
export function scanKlinesPacked(body: Uint8Array): ScannedKlines | null {
  const r = new Scanner(body);
  const capacity = Math.floor(body.length / SHORTEST_ROW) + 1;
  const values = new Float64Array(capacity * SCANNED_FIELDS);
  const closeTimes = new Float64Array(capacity);
  const bounds = new Int32Array(capacity * 2);
  let count = 0;
  const done = (): ScannedKlines | null => (r.pos === body.length ? { count, values, closeTimes, bounds } : null);
  if (!r.expect(OPEN)) return null;
  if (r.expect(CLOSE)) return done();
  for (;;) {
    const rowStart = r.pos;
    const o = count * SCANNED_FIELDS;
    if (!r.expect(OPEN)) return null;
    if (Number.isNaN((values[o] = r.integer())) || !r.expect(COMMA)) return null;
    for (let field = 1; field <= 5; field++)
      if (Number.isNaN((values[o + field] = r.decimal())) || !r.expect(COMMA)) return null;
    if (Number.isNaN((closeTimes[count] = r.integer())) || !r.expect(COMMA)) return null;
    // Quote volume, trade count, taker volumes and the unused field: checked for shape, not kept.
    if (!r.skipString() || !r.expect(COMMA)) return null;
    if (Number.isNaN(r.integer()) || !r.expect(COMMA)) return null;
    if (!r.skipString() || !r.expect(COMMA) || !r.skipString() || !r.expect(COMMA) || !r.skipString()) return null;
    if (!r.expect(CLOSE)) return null;
    bounds[count * 2] = rowStart;
    bounds[count * 2 + 1] = r.pos;
    count++;
    if (r.expect(CLOSE)) return done();
    if (!r.expect(COMMA)) return null;
  }
}

/**
 * A page the fast path read: its rows stay packed, and candles, close times and wire rows are made
 * only if something asks for them. A healthy backfill page never does: it is validated and stored
 * from the packed rows (engine/window-commit.ts), so a year of 1m builds none of its 0.5M candles.
 */
class ScannedPage implements KlinePage {
  /** The rows packed, when their open times ascend strictly (what PackedCandles requires); else null. */
  readonly packed: PackedCandles | null;
  private built: { candles: Candle[]; closeTimes: number[]; rows: WireRow[] } | null = null;

  constructor(
    private readonly scan: ScannedKlines,
    private readonly body: Uint8Array,
  ) {
    const { count, values } = scan;
    let ascending = true;
    for (let i = 1; i < count && ascending; i++)
      ascending = values[i * SCANNED_FIELDS]! > values[(i - 1) * SCANNED_FIELDS]!;
    this.packed = ascending ? new PackedCandles(values, 0, count) : null;
  }

  get candles(): Candle[] {
    return this.build().candles;
  }

  get closeTimes(): number[] {
    return this.build().closeTimes;
  }

  get rows(): WireRow[] {
    return this.build().rows;
  }

  private build(): { candles: Candle[]; closeTimes: number[]; rows: WireRow[] } {
    if (this.built) return this.built;
    const { count, values, closeTimes, bounds } = this.scan;
    const candles: Candle[] = new Array(count);
    const rows: WireRow[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const o = i * SCANNED_FIELDS;
      candles[i] = {
        ts: values[o]!,
        open: values[o + 1]!,
        high: values[o + 2]!,
        low: values[o + 3]!,
        close: values[o + 4]!,
        volume: values[o + 5]!,
      };
      rows[i] = new WireRow(this.body, bounds[i * 2]!, bounds[i * 2 + 1]!);
    }
    return (this.built = { candles, closeTimes: Array.from(closeTimes.subarray(0, count)), rows });
  }
}

/** A packed page as a KlinePage (read from `body`, the bytes scanned). */
export function klinePageOf(scan: ScannedKlines, body: Uint8Array): KlinePage {
  return new ScannedPage(scan, body);
}

/** The kline body read by the fast path, or null when it is not in Binance's exact compact form. */
export function scanKlineRows(body: Uint8Array): KlinePage | null {
  const scan = scanKlinesPacked(body);
  return scan && klinePageOf(scan, body);
}
