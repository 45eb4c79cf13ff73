/**
 * Turning Yahoo bars into our grid and knowing when the market was closed, from what each response
 * says (never from a calendar of our own): intraday closed ranges come from meta.tradingPeriods;
 * daily and longer bars, stamped at the session open or local midnight, are moved to 00:00 UTC of
 * the exchange's local date, and a day with no bar between two that have one is a market holiday.
 */
import type { Range } from './source.js';
import { DAY_MS, floorToTimeframe, nextOpen, ceilToTimeframe, type Timeframe } from '../../shared/timeframe.js';

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatter(timeZone: string): Intl.DateTimeFormat | null {
  if (!formatters.has(timeZone)) {
    let f: Intl.DateTimeFormat | null = null;
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' });
    } catch {
      // an unknown zone name: fall back to the fixed gmtoffset
    }
    formatters.set(timeZone, f);
  }
  return formatters.get(timeZone)!;
}

/**
 * 00:00 UTC of the exchange-local date containing `ts` (daily bars of US equities are stamped 09:30
 * New York, weekly and monthly ones at local midnight, which is the previous UTC date in Asia).
 * Uses the zone's rules at `ts`, so a bar from winter is not shifted by today's summer offset.
 */
export function localDateUtc(ts: number, timeZone: string, gmtoffsetSec: number): number {
  const f = formatter(timeZone);
  if (!f) return Math.floor((ts + gmtoffsetSec * 1000) / DAY_MS) * DAY_MS;
  const parts = Object.fromEntries(f.formatToParts(new Date(ts)).map((p) => [p.type, p.value]));
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day));
}

/** Candle open times in `window` whose candle [t, next) overlaps no session, as ranges. */
export function closedOutsideSessions(tf: Timeframe, window: Range, sessions: Range[], notBefore: number): Range[] {
  const closed: Range[] = [];
  let k = 0;
  for (let t = ceilToTimeframe(tf, Math.max(window.from, notBefore)); t < window.to; t = nextOpen(tf, t)) {
    const end = nextOpen(tf, t);
    while (k < sessions.length && sessions[k]!.to <= t) k++;
    const open = k < sessions.length && sessions[k]!.from < end;
    if (!open) appendRange(closed, t, end);
  }
  return closed;
}

/**
 * Days (weeks, months) in `window` without a bar where the market must have been closed: between the
 * first and last bar of the answer, and, for daily bars, local weekends anywhere in the window.
 */
export function closedBetweenBars(tf: Timeframe, window: Range, opens: number[], notBefore: number): Range[] {
  if (!opens.length) return [];
  const have = new Set(opens);
  const first = opens[0]!;
  const last = opens[opens.length - 1]!;
  const closed: Range[] = [];
  for (let t = ceilToTimeframe(tf, Math.max(window.from, notBefore)); t < window.to; t = nextOpen(tf, t)) {
    if (have.has(t)) continue;
    const weekday = new Date(t).getUTCDay();
    const weekend = tf === '1d' && (weekday === 0 || weekday === 6);
    if (weekend || (t > first && t < last)) appendRange(closed, t, nextOpen(tf, t));
  }
  return closed;
}

function appendRange(ranges: Range[], from: number, to: number): void {
  const last = ranges[ranges.length - 1];
  if (last && last.to === from) last.to = to;
  else ranges.push({ from, to });
}

/** True when `ts` lies in one of the sorted `sessions`. */
export function inSession(ts: number, sessions: Range[]): boolean {
  return sessions.some((s) => ts >= s.from && ts < s.to);
}

/** Our grid's open time for a calendar bar (1d, 1w, 1M) stamped at `ts` by an exchange in `timeZone`. */
export function calendarOpen(tf: Timeframe, ts: number, timeZone: string, gmtoffsetSec: number): number {
  return floorToTimeframe(tf, localDateUtc(ts, timeZone, gmtoffsetSec));
}
