/**
 * Writing archive CSV rows straight into bytes. A month of 1m candles is ~45k rows of 12 fields;
 * building them as strings costs more than the rest of the simulator's work together, and the
 * simulator must serve faster than any client ingests. Output is byte-for-byte the text of
 * binance-routes.ts klineRow without brackets and quotes (archive-content.test.ts holds them equal).
 */
import type { TruthCandle } from './truth.js';
import { nextOpen, type Timeframe } from '../../shared/timeframe.js';

const COMMA = 44;
const DOT = 46;
const NEWLINE = 10;
const ZERO = 48;
/** Longest row: two 16-digit times, eight 8-decimal numbers and change; generously rounded up. */
const MAX_ROW_BYTES = 320;
const POW10 = Array.from({ length: 9 }, (_, i) => 10 ** i);
/** The ASCII of 0000..9999, four bytes each. */
const DIGITS4 = Buffer.from(Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, '0')).join(''), 'latin1');

export class CsvWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(rows: number) {
    this.buf = Buffer.allocUnsafe(Math.max(1, rows) * MAX_ROW_BYTES);
  }

  get bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** A non-negative integer (µs times reach 1.8e15, beyond int32: written in two halves). */
  private int(n: number): void {
    if (n >= 1e8) {
      const high = Math.floor(n / 1e8);
      this.int(high);
      this.digits8(n - high * 1e8);
      return;
    }
    let v = n | 0;
    let digits = 1;
    for (let p = 10; p <= v; p *= 10) digits++;
    for (let i = this.pos + digits - 1; i >= this.pos; i--) {
      const q = (v / 10) | 0;
      this.buf[i] = ZERO + v - q * 10;
      v = q;
    }
    this.pos += digits;
  }

  /** Exactly 8 digits, zero-padded (v < 1e8 fits int32 arithmetic). */
  private digits8(v: number): void {
    const high = (v / 10_000) | 0;
    const low = v - high * 10_000;
    const b = this.buf;
    const p = this.pos;
    const h = high * 4;
    const l = low * 4;
    b[p] = DIGITS4[h]!;
    b[p + 1] = DIGITS4[h + 1]!;
    b[p + 2] = DIGITS4[h + 2]!;
    b[p + 3] = DIGITS4[h + 3]!;
    b[p + 4] = DIGITS4[l]!;
    b[p + 5] = DIGITS4[l + 1]!;
    b[p + 6] = DIGITS4[l + 2]!;
    b[p + 7] = DIGITS4[l + 3]!;
    this.pos = p + 8;
  }

  /** An integer count of 10^-decimals units with 8 decimals, like http-util's fixed(). */
  private fixed8(units: number, decimals: number): void {
    const scale = POW10[decimals]!;
    const whole = Math.floor(units / scale);
    this.int(whole);
    this.buf[this.pos++] = DOT;
    this.digits8((units - whole * scale) * POW10[8 - decimals]!);
  }

  private text(s: string): void {
    this.pos += this.buf.write(s, this.pos, 'latin1');
  }

  private comma(): void {
    this.buf[this.pos++] = COMMA;
  }

  /** One kline row and its newline; times in µs when `micro`. */
  row(c: TruthCandle, tf: Timeframe, decimals: number, micro: boolean): void {
    if (this.pos + MAX_ROW_BYTES > this.buf.length) this.grow();
    const avgPrice = (c.open + c.close) / 2 / 10 ** decimals;
    const takerBase = Math.floor(c.volume * 0.52);
    const close = nextOpen(tf, c.openTime);
    this.int(micro ? c.openTime * 1000 : c.openTime);
    this.comma();
    this.fixed8(c.open, decimals);
    this.comma();
    this.fixed8(c.high, decimals);
    this.comma();
    this.fixed8(c.low, decimals);
    this.comma();
    this.fixed8(c.close, decimals);
    this.comma();
    this.fixed8(c.volume, 8);
    this.comma();
    this.int(micro ? close * 1000 - 1 : close - 1);
    // The two quote volumes are floating-point in klineRow too: toFixed keeps them identical.
    this.comma();
    this.text(((c.volume / 1e8) * avgPrice).toFixed(8));
    this.comma();
    this.int(c.trades);
    this.comma();
    this.fixed8(takerBase, 8);
    this.comma();
    this.text(((takerBase / 1e8) * avgPrice).toFixed(8));
    this.comma();
    this.buf[this.pos++] = ZERO;
    this.buf[this.pos++] = NEWLINE;
  }

  private grow(): void {
    const bigger = Buffer.allocUnsafe(this.buf.length * 2);
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }
}
