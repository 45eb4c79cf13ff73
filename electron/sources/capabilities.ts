/**
 * Whether a source can serve a request at all, decided from its declared capabilities BEFORE any
 * request is sent: an unsupported timeframe or a start beyond the timeframe's lookback is refused
 * with a message saying what the source allows. Also the wording `candlekeep sources` uses.
 */
import { DAY_MS, HOUR_MS, ceilToTimeframe, type Timeframe } from '../../shared/timeframe.js';
import { SourceError, type Source, type SourceCapabilities } from './source.js';

/** A lookback in words, in the unit the APIs document: "12 hours", "1 day", "730 days". */
export function describeLookback(ms: number): string {
  if (ms % DAY_MS === 0) return plural(ms / DAY_MS, 'day');
  return plural(Math.round(ms / HOUR_MS), 'hour');
}

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/**
 * The timeframes with how far back they go, neighbours with the same reach grouped:
 * "1m (last 30 days), 5m/15m/30m (last 60 days), 1h (last 730 days), 1d/1w/1M (all history)".
 */
export function describeTimeframes(caps: SourceCapabilities): string {
  const groups: Array<{ tfs: Timeframe[]; lookback: number | undefined }> = [];
  for (const tf of caps.timeframes) {
    const lookback = caps.lookbackMs[tf];
    const last = groups[groups.length - 1];
    if (last && last.lookback === lookback) last.tfs.push(tf);
    else groups.push({ tfs: [tf], lookback });
  }
  return groups
    .map(
      (g) =>
        `${g.tfs.join('/')} (${g.lookback === undefined ? 'all history' : `last ${describeLookback(g.lookback)}`})`,
    )
    .join(', ');
}

/** The earliest candle open time `source` can serve for `timeframe` at `now`, or null when unbounded. */
export function earliestServed(caps: SourceCapabilities, timeframe: Timeframe, now: number): number | null {
  const lookback = caps.lookbackMs[timeframe];
  return lookback === undefined ? null : now - lookback;
}

/**
 * Throw a 'rejected' SourceError unless `source` serves `timeframe` candles from `from` on at `now`.
 * Called at the top of a backfill, so a request the source would refuse is never sent.
 */
export function assertServes(source: Source, timeframe: Timeframe, from: number, now: number): void {
  const caps = source.capabilities;
  if (!caps.timeframes.includes(timeframe)) {
    throw new SourceError(
      `${source.id} has no ${timeframe} candles: it serves ${describeTimeframes(caps)}`,
      'rejected',
    );
  }
  const earliest = earliestServed(caps, timeframe, now);
  if (earliest !== null && ceilToTimeframe(timeframe, from) < earliest) {
    const coarser = caps.timeframes.filter((tf) => (caps.lookbackMs[tf] ?? Infinity) > caps.lookbackMs[timeframe]!);
    const hint =
      (coarser.length
        ? ` or a timeframe that reaches further: ${describeTimeframes({ ...caps, timeframes: coarser })}`
        : '') + (caps.reachFurther ? `; ${caps.reachFurther}` : '');
    throw new SourceError(
      `${source.id} serves ${timeframe} candles only for the last ${describeLookback(caps.lookbackMs[timeframe]!)} ` +
        `(from ${new Date(earliest).toISOString()}): start later${hint}`,
      'rejected',
    );
  }
}
