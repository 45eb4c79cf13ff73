/**
 * The US equity calendar the simulator's Yahoo venue trades on: regular sessions 09:30-16:00
 * America/New_York on weekdays, NYSE holidays and 13:00 early closes, computed by rule so any year
 * works. The client never sees this module: it learns sessions from each response's meta, as it must
 * with the real API.
 */
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../shared/timeframe.js';

/** A regular trading session [start, end) in epoch ms UTC. */
export interface Session {
  start: number;
  end: number;
  /** UTC offset of America/New_York that day, in seconds (Yahoo's `gmtoffset`). */
  gmtoffset: number;
}

const utcDay = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d);
const weekday = (y: number, m: number, d: number): number => new Date(utcDay(y, m, d)).getUTCDay();

/** Day of month of the n-th (1-based) `dow` of a month; n = -1 for the last one. */
function nthWeekday(y: number, m: number, dow: number, n: number): number {
  if (n > 0) {
    const first = weekday(y, m, 1);
    return 1 + ((dow - first + 7) % 7) + (n - 1) * 7;
  }
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const last = weekday(y, m, lastDay);
  return lastDay - ((last - dow + 7) % 7);
}

/** Easter Sunday (anonymous Gregorian algorithm) as [month, day]. */
function easter(y: number): [number, number] {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  return [month, ((h + l - 7 * m + 114) % 31) + 1];
}

/** A fixed-date holiday moved to Friday when on Saturday, to Monday when on Sunday. */
function observed(y: number, m: number, d: number): number {
  const dow = weekday(y, m, d);
  return utcDay(y, m, d) + (dow === 6 ? -DAY_MS : dow === 0 ? DAY_MS : 0);
}

/** NYSE full-day holidays of year `y` (UTC midnights of the local dates). */
export function holidays(y: number): Set<number> {
  const days: number[] = [];
  // New Year's Day on a Saturday is not observed on the Friday before (NYSE rule 7.2).
  if (weekday(y, 1, 1) !== 6) days.push(observed(y, 1, 1));
  days.push(utcDay(y, 1, nthWeekday(y, 1, 1, 3)));
  days.push(utcDay(y, 2, nthWeekday(y, 2, 1, 3)));
  const [em, ed] = easter(y);
  days.push(utcDay(y, em, ed) - 2 * DAY_MS);
  days.push(utcDay(y, 5, nthWeekday(y, 5, 1, -1)));
  if (y >= 2022) days.push(observed(y, 6, 19));
  days.push(observed(y, 7, 4));
  days.push(utcDay(y, 9, nthWeekday(y, 9, 1, 1)));
  days.push(utcDay(y, 11, nthWeekday(y, 11, 4, 4)));
  days.push(observed(y, 12, 25));
  return new Set(days);
}

/** Days that close at 13:00: July 3rd, the day after Thanksgiving, Christmas Eve (when trading days). */
function earlyCloses(y: number): Set<number> {
  return new Set([utcDay(y, 7, 3), utcDay(y, 11, nthWeekday(y, 11, 4, 4) + 1), utcDay(y, 12, 24)]);
}

/** True on days of US daylight saving time (second Sunday of March to first Sunday of November). */
function isDst(y: number, m: number, d: number): boolean {
  const t = utcDay(y, m, d);
  return t >= utcDay(y, 3, nthWeekday(y, 3, 0, 2)) && t < utcDay(y, 11, nthWeekday(y, 11, 0, 1));
}

/** UTC offset of America/New_York (seconds) on the local date containing UTC midnight `day`. */
export function newYorkOffset(day: number): number {
  const date = new Date(day);
  return isDst(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()) ? -4 * 3600 : -5 * 3600;
}

const holidayCache = new Map<number, { full: Set<number>; early: Set<number> }>();

/** The regular session of the local date whose UTC midnight is `day`, or null when the market is closed. */
export function sessionOn(day: number): Session | null {
  const date = new Date(day);
  const y = date.getUTCFullYear();
  const dow = date.getUTCDay();
  if (dow === 0 || dow === 6) return null;
  let year = holidayCache.get(y);
  if (!year) holidayCache.set(y, (year = { full: holidays(y), early: earlyCloses(y) }));
  if (year.full.has(day)) return null;
  const gmtoffset = newYorkOffset(day);
  const localMidnight = day - gmtoffset * 1000;
  const closeHour = year.early.has(day) ? 13 : 16;
  return { start: localMidnight + 9 * HOUR_MS + 30 * MINUTE_MS, end: localMidnight + closeHour * HOUR_MS, gmtoffset };
}

/** Sessions overlapping [from, to), oldest first. */
export function sessionsBetween(from: number, to: number): Session[] {
  const out: Session[] = [];
  for (let day = Math.floor(from / DAY_MS) * DAY_MS - DAY_MS; day < to + DAY_MS; day += DAY_MS) {
    const s = sessionOn(day);
    if (s && s.end > from && s.start < to) out.push(s);
  }
  return out;
}

/** Midnight (epoch ms) in New York of the local date containing `ts`. */
export function newYorkMidnight(ts: number): number {
  // The offset of the UTC date is right for every instant from 05:00 UTC on; earlier instants
  // belong to the previous local date.
  const day = Math.floor(ts / DAY_MS) * DAY_MS;
  for (const candidate of [day, day - DAY_MS, day + DAY_MS]) {
    const midnight = candidate - newYorkOffset(candidate) * 1000;
    if (ts >= midnight && ts < midnight + DAY_MS) return midnight;
  }
  return day - newYorkOffset(day) * 1000;
}
