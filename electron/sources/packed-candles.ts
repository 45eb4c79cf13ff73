/**
 * Candles as rows of one Float64Array — (ts, open, high, low, close, volume) per row, ascending by
 * open time — for bulk history: a six-year 1m backfill is 3 million candles, and an object per
 * candle costs more to build, read and collect than validating and storing it. The buffer moves
 * between threads without copying; a range of it is a view, not a copy.
 */
import type { Candle } from '../../shared/domain.js';

export const PACKED_FIELDS = 6;

export class PackedCandles {
  /** Rows [start, end) of `data`, which holds strictly ascending open times. */
  constructor(
    readonly data: Float64Array,
    readonly start = 0,
    readonly end = data.length / PACKED_FIELDS,
  ) {}

  get length(): number {
    return this.end - this.start;
  }

  /** Offset in `data` of row `i` of this view (its open time; the values follow). */
  offset(i: number): number {
    return (this.start + i) * PACKED_FIELDS;
  }

  ts(i: number): number {
    return this.data[(this.start + i) * PACKED_FIELDS]!;
  }

  /** The rows opening in [from, to), as a view (binary search: rows are ascending). */
  within(range: { from: number; to: number }): PackedCandles {
    return new PackedCandles(this.data, this.firstAtOrAfter(range.from), this.firstAtOrAfter(range.to));
  }

  timestamps(): Float64Array {
    const out = new Float64Array(this.length);
    for (let i = 0; i < out.length; i++) out[i] = this.ts(i);
    return out;
  }

  toCandles(): Candle[] {
    const out = new Array<Candle>(this.length);
    const d = this.data;
    for (let i = 0; i < out.length; i++) {
      const o = this.offset(i);
      out[i] = { ts: d[o]!, open: d[o + 1]!, high: d[o + 2]!, low: d[o + 3]!, close: d[o + 4]!, volume: d[o + 5]! };
    }
    return out;
  }

  private firstAtOrAfter(ts: number): number {
    let lo = this.start;
    let hi = this.end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.data[mid * PACKED_FIELDS]! < ts) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
