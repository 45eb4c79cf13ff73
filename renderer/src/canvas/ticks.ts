/** Axis ticks: round prices, and calendar-aligned times in the user's zone (pure, unit-tested). */

/** Round values (1, 2, 2.5, 5 × 10^n) between min and max, about `count` of them. */
export function priceTicks(min: number, max: number, count: number): number[] {
  if (!(max > min) || count < 1) return [];
  // A step a little under range/count still reads as "about count ticks" and allows rounder steps.
  const raw = ((max - min) / count) * 0.75;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Candidate steps, smallest first; months and years are calendar steps. */
const STEPS: Array<{ ms: number; unit: 'minute' | 'hour' | 'day' | 'month' | 'year'; n: number }> = [
  { ms: MIN, unit: 'minute', n: 1 },
  { ms: 5 * MIN, unit: 'minute', n: 5 },
  { ms: 15 * MIN, unit: 'minute', n: 15 },
  { ms: 30 * MIN, unit: 'minute', n: 30 },
  { ms: HOUR, unit: 'hour', n: 1 },
  { ms: 3 * HOUR, unit: 'hour', n: 3 },
  { ms: 6 * HOUR, unit: 'hour', n: 6 },
  { ms: 12 * HOUR, unit: 'hour', n: 12 },
  { ms: DAY, unit: 'day', n: 1 },
  { ms: 2 * DAY, unit: 'day', n: 2 },
  { ms: 7 * DAY, unit: 'day', n: 7 },
  { ms: 14 * DAY, unit: 'day', n: 14 },
  { ms: 30 * DAY, unit: 'month', n: 1 },
  { ms: 91 * DAY, unit: 'month', n: 3 },
  { ms: 182 * DAY, unit: 'month', n: 6 },
  { ms: 365 * DAY, unit: 'year', n: 1 },
  { ms: 2 * 365 * DAY, unit: 'year', n: 2 },
  { ms: 5 * 365 * DAY, unit: 'year', n: 5 },
];

export interface TimeTick {
  ts: number;
  label: string;
}

function label(ts: number, unit: string): string {
  const d = new Date(ts);
  if (unit === 'year') return String(d.getFullYear());
  if (unit === 'month')
    return d.toLocaleDateString(undefined, { month: 'short', year: d.getMonth() === 0 ? 'numeric' : undefined });
  if (unit === 'day' || (d.getHours() === 0 && d.getMinutes() === 0))
    return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** The first local-calendar boundary of `step` at or after `ts`. */
function firstBoundary(ts: number, step: (typeof STEPS)[number]): number {
  const d = new Date(ts);
  if (step.unit === 'minute' || step.unit === 'hour') {
    const stepMs = step.ms;
    // Local offset so that hour ticks fall on local hours in zones with half-hour offsets.
    const offset = d.getTimezoneOffset() * MIN;
    return Math.ceil((ts - offset) / stepMs) * stepMs + offset;
  }
  if (step.unit === 'day') {
    const start = new Date(d.getFullYear(), d.getMonth(), d.getDate());
    if (start.getTime() < ts) start.setDate(start.getDate() + 1);
    return start.getTime();
  }
  if (step.unit === 'month') {
    const start = new Date(d.getFullYear(), Math.ceil(d.getMonth() / step.n) * step.n, 1);
    if (start.getTime() < ts) start.setMonth(start.getMonth() + step.n);
    return start.getTime();
  }
  const start = new Date(Math.ceil(d.getFullYear() / step.n) * step.n, 0, 1);
  if (start.getTime() < ts) start.setFullYear(start.getFullYear() + step.n);
  return start.getTime();
}

function advance(ts: number, step: (typeof STEPS)[number]): number {
  const d = new Date(ts);
  if (step.unit === 'day') return new Date(d.getFullYear(), d.getMonth(), d.getDate() + step.n).getTime();
  if (step.unit === 'month') return new Date(d.getFullYear(), d.getMonth() + step.n, 1).getTime();
  if (step.unit === 'year') return new Date(d.getFullYear() + step.n, 0, 1).getTime();
  return ts + step.ms;
}

/** Ticks over [from, to) at least `minGapPx` apart on an axis `width` pixels wide. */
export function timeTicks(from: number, to: number, width: number, minGapPx = 90): TimeTick[] {
  if (!(to > from) || width <= 0) return [];
  const msPerPx = (to - from) / width;
  const step = STEPS.find((s) => s.ms / msPerPx >= minGapPx) ?? STEPS[STEPS.length - 1]!;
  const ticks: TimeTick[] = [];
  for (let ts = firstBoundary(from, step); ts < to && ticks.length < 200; ts = advance(ts, step)) {
    if (step.unit === 'day' && step.n > 1 && new Date(ts).getDate() % step.n !== 1 && step.n !== 7 && step.n !== 14)
      continue;
    ticks.push({ ts, label: label(ts, step.unit) });
  }
  return ticks;
}
