/**
 * Klines as Binance's JSON text, written straight from the database's rows: the local candle API's
 * hot path (50 readers of 1,000-row pages). Building the text in one pass skips the 12-element array
 * per row and JSON.stringify over them, and the decimal strings take a fast path for the usual prices,
 * so a read worker answers about twice as many pages (see README "serve" benchmark rows).
 */
import { nextOpen, timeframeMs, type Timeframe } from '../../shared/timeframe.js';

/** A stored candle as the query returns it in raw mode: ts, open, high, low, close, volume. */
export type KlineRow = [number, number, number, number, number, number | null];

const ZEROS = '00000000';
/** Below 2^23 a double's spacing is under 1e-9, so its shortest form is also the nearest 8-decimal one. */
const FAST_LIMIT = 8_388_608;

/** Binance's 8-decimal strings where they hold the stored double exactly; the shortest exact form otherwise. */
export function decimal(n: number | null): string {
  if (n === null) return '0';
  if (n < FAST_LIMIT && n > -FAST_LIMIT) {
    // The shortest form with at most 8 decimals, zero-padded, is exactly toFixed(8), and parses back to n.
    const s = String(n);
    if (s.indexOf('e') < 0) {
      const dot = s.indexOf('.');
      if (dot < 0) return `${s}.${ZEROS}`;
      const decimals = s.length - dot - 1;
      if (decimals <= 8) return s + ZEROS.slice(decimals);
    }
  }
  const fixed = n.toFixed(8);
  return Number(fixed) === n ? fixed : String(n);
}

/** The rows as Binance's klines JSON: [open time, o, h, l, c, v, close time, "0", 0, "0", "0", "0"] each. */
export function klinesJson(rows: readonly KlineRow[], tf: Timeframe): string {
  const step = tf === '1M' ? 0 : timeframeMs(tf);
  const parts = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const [ts, open, high, low, close, volume] = rows[i]!;
    const closeTime = (step ? ts + step : nextOpen(tf, ts)) - 1;
    parts[i] =
      `[${ts},"${decimal(open)}","${decimal(high)}","${decimal(low)}","${decimal(close)}","${decimal(volume)}",${closeTime},"0",0,"0","0","0"]`;
  }
  return `[${parts.join(',')}]`;
}
