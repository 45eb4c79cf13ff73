/**
 * The backfill planner for series with bulk archives (Binance spot): which missing ranges come from
 * monthly files, which from daily files and which over REST, as a pure function of the missing
 * ranges and the time. History older than about two days (before the start of yesterday) comes
 * from archives; the rest, and anything an archive would not save requests on, from REST. The
 * newest archived day is also fetched over REST to cross-check the two (the "overlap").
 */
import type { Range } from './hole-ledger.js';
import { subtractRanges } from './hole-ledger.js';
import { DAY_MS, ceilToTimeframe, floorToTimeframe, type Timeframe } from '../../shared/timeframe.js';
import {
  archiveName,
  dayOf,
  hasDailyArchives,
  monthOf,
  monthlyExpectedAt,
  type ArchivePeriod,
} from '../sources/binance-archive-layout.js';

export interface ArchiveTask {
  period: ArchivePeriod;
  /** The missing ranges inside the period, aligned to the timeframe: what the file is used for. */
  windows: Range[];
}

export interface BackfillPlan {
  symbol: string;
  timeframe: Timeframe;
  /** Oldest first. */
  archives: ArchiveTask[];
  /** Ranges fetched over REST, oldest first. */
  rest: Range[];
  /** The newest archived day, fetched over REST as well to cross-check archive against REST. */
  overlap: Range | null;
  /** HTTP downloads from the archive host (CHECKSUM + zip per file; no API weight). */
  downloads: number;
  /** REST requests: the REST ranges plus the overlap. */
  restRequests: number;
  /** REST requests the same backfill would take without archives. */
  restOnlyRequests: number;
}

export interface PlanInput {
  symbol: string;
  timeframe: Timeframe;
  /** Missing ranges, oldest first, starting on the timeframe grid. */
  ranges: Range[];
  now: number;
  /** How the REST source splits a range into requests (Source.windows). */
  restWindows: (from: number, to: number) => Range[];
}

/** A file touching at most this many days of a month is cheaper as daily files. */
const DAILY_FILES_UP_TO = 7;
/** An archive file is used only where it replaces at least this many REST requests. */
const MIN_REQUESTS_SAVED = 2;

/** The parts of `ranges` inside [from, to), aligned to the timeframe grid. */
function inside(tf: Timeframe, ranges: Range[], from: number, to: number): Range[] {
  const lo = ceilToTimeframe(tf, from);
  const hi = ceilToTimeframe(tf, to);
  return ranges.map((r) => ({ from: Math.max(r.from, lo), to: Math.min(r.to, hi) })).filter((r) => r.from < r.to);
}

function daysTouched(windows: Range[]): number {
  const days = new Set<number>();
  for (const w of windows) for (let d = w.from - (w.from % DAY_MS); d < w.to; d += DAY_MS) days.add(d);
  return days.size;
}

export function planBackfill(input: PlanInput): BackfillPlan {
  const { symbol, timeframe: tf, ranges, now } = input;
  const requests = (rs: Range[]): number => rs.reduce((n, r) => n + input.restWindows(r.from, r.to).length, 0);
  const series = { symbol, timeframe: tf };
  // Archives only for periods that ended before the start of yesterday: older than about two days.
  const horizon = now - (now % DAY_MS) - DAY_MS;
  const archives: ArchiveTask[] = [];
  const use = (period: ArchivePeriod, windows: Range[]): void => {
    if (windows.length && requests(windows) >= MIN_REQUESTS_SAVED) archives.push({ period, windows });
  };

  const first = ranges[0]?.from ?? horizon;
  const last = Math.min(
    ranges.reduce((m, r) => Math.max(m, r.to), first),
    horizon,
  );
  for (let month = monthOf(series, first); month.from < last; month = monthOf(series, month.to)) {
    const windows = inside(tf, ranges, month.from, Math.min(month.to, horizon));
    if (!windows.length) continue;
    const published = month.to <= horizon && now >= monthlyExpectedAt(month);
    if (published && (!hasDailyArchives(tf) || daysTouched(windows) > DAILY_FILES_UP_TO)) {
      use(month, windows);
    } else if (hasDailyArchives(tf)) {
      for (let day = dayOf(series, month.from); day.from < month.to && day.to <= horizon; day = dayOf(series, day.to)) {
        use(day, inside(tf, windows, day.from, day.to));
      }
    }
  }

  const rest = subtractRanges(
    ranges,
    archives.flatMap((a) => a.windows),
  );
  const overlap = archives.length ? overlapOf(tf, archives[archives.length - 1]!) : null;
  return {
    symbol,
    timeframe: tf,
    archives,
    rest,
    overlap,
    downloads: 2 * archives.length,
    restRequests: requests(rest) + (overlap ? requests([overlap]) : 0),
    restOnlyRequests: requests(ranges),
  };
}

/** The newest day (at least one candle) of a task's windows. */
export function overlapOf(tf: Timeframe, task: ArchiveTask): Range {
  const w = task.windows[task.windows.length - 1]!;
  let from = Math.max(w.from, ceilToTimeframe(tf, w.to - DAY_MS));
  if (from >= w.to) from = Math.max(w.from, floorToTimeframe(tf, w.to - 1));
  return { from, to: w.to };
}

const iso = (ts: number): string => new Date(ts).toISOString().replace(':00.000Z', 'Z');

function spans(periods: ArchivePeriod[]): string {
  const labels = periods.map((p) => p.label);
  return labels.length <= 3 ? labels.join(', ') : `${labels[0]} … ${labels[labels.length - 1]}`;
}

/** The plan as lines for a terminal or a log. */
export function describePlan(plan: BackfillPlan): string[] {
  const monthly = plan.archives.filter((a) => a.period.granularity === 'monthly').map((a) => a.period);
  const daily = plan.archives.filter((a) => a.period.granularity === 'daily').map((a) => a.period);
  const lines = [`plan for binance ${plan.symbol} ${plan.timeframe}:`];
  if (monthly.length)
    lines.push(`  archives, monthly: ${monthly.length} file${monthly.length > 1 ? 's' : ''} (${spans(monthly)})`);
  if (daily.length)
    lines.push(`  archives, daily:   ${daily.length} file${daily.length > 1 ? 's' : ''} (${spans(daily)})`);
  if (plan.overlap)
    lines.push(
      `  cross-check:       ${iso(plan.overlap.from)}..${iso(plan.overlap.to)} from ${archiveName(plan.archives[plan.archives.length - 1]!.period)} and over REST`,
    );
  for (const r of plan.rest) lines.push(`  REST:              ${iso(r.from)}..${iso(r.to)}`);
  if (!plan.archives.length && !plan.rest.length) lines.push('  nothing to fetch');
  lines.push(
    `  requests:          ${plan.downloads} archive downloads (no API weight) + ${plan.restRequests} REST; REST alone would take ${plan.restOnlyRequests}`,
  );
  lines.push('  (a missing or corrupt archive file is fetched over REST instead)');
  return lines;
}
