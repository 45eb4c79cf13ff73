/** How health over time reads: tones of success rates, SLO values as text, bucket labels. */
import type { SloTarget } from '../../../shared/history';
import { sloMet } from '../../../shared/history';
import { formatMs, formatPercent } from '../format';

export type SuccessTone = 'ok' | 'warn' | 'bad' | 'empty';

/** A bucket's colour: green at the API-success target or above, amber down to 90%, red below; grey with no request. */
export function successTone(rate: number | null): SuccessTone {
  if (rate === null) return 'empty';
  if (rate >= 0.99) return 'ok';
  if (rate >= 0.9) return 'warn';
  return 'bad';
}

export function sloText(t: SloTarget, value: number | null): string {
  if (value === null) return '—';
  return t.unit === 'ms' ? formatMs(value) : formatPercent(value, 2);
}

export function sloTargetText(t: SloTarget): string {
  return `${t.kind === 'below' ? 'below' : 'at least'} ${t.unit === 'ms' ? formatMs(t.target) : formatPercent(t.target, 0)}`;
}

export function sloTone(t: SloTarget, value: number | null): 'ok' | 'bad' | 'empty' {
  if (value === null) return 'empty';
  return sloMet(t, value) ? 'ok' : 'bad';
}

/** A bucket's start as the user's local clock reads it ('14:05', or '3 Dec 14:00' for day-wide buckets). */
export function bucketLabel(at: number, stepMs: number): string {
  const d = new Date(at);
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
  if (stepMs < 3_600_000) return time;
  const day = d.toLocaleDateString([], { day: 'numeric', month: 'short' });
  return stepMs >= 86_400_000 ? day : `${day} ${time}`;
}
