/**
 * Whether a source can serve a request at all, decided from its declared capabilities BEFORE any
 * request is sent: an unsupported timeframe or a start beyond the timeframe's lookback is refused
 * with a message saying what the source allows. Also the wording `candlekeep sources` uses.
 */
import { DAY_MS, HOUR_MS, ceilToTimeframe, type Timeframe } from '../../shared/timeframe.js';
import { SourceError, type Source, type SourceCapabilities } from './source.js';

/** A lookback in words: "1 day", "60 days", "2 years". */
export function describeLookback(ms: number): string {
  if (ms % (365 * DAY_MS) === 0) return plural(ms / (365 * DAY_MS), 'year');
  if (ms % DAY_MS === 0) return plural(ms / DAY_MS, 'day');
  return plural(Math.round(ms / HOUR_MS), 'hour');
}

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** Each timeframe with how far back it goes: "30m (last 1 day), 4h (last 30 days), 1d (all history)". */
export function describeTimeframes(caps: SourceCapabilities): string {
  return caps.timeframes
    .map((tf) => {
      const lookback = caps.lookbackMs[tf];
      return `${tf} (${lookback === undefined ? 'all history' : `last ${describeLookback(lookback)}`})`;
    })
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
    throw new SourceError(`${source.id} has no ${timeframe} candles: it serves ${describeTimeframes(caps)}`, 'rejected');
  }
  const earliest = earliestServed(caps, timeframe, now);
  if (earliest !== null && ceilToTimeframe(timeframe, from) < earliest) {
    const coarser = caps.timeframes.filter((tf) => (caps.lookbackMs[tf] ?? Infinity) > caps.lookbackMs[timeframe]!);
    const hint = coarser.length ? ` or a timeframe that reaches further: ${describeTimeframes({ ...caps, timeframes: coarser })}` : '';
    throw new SourceError(
      `${source.id} serves ${timeframe} candles only for the last ${describeLookback(caps.lookbackMs[timeframe]!)} ` +
        `(from ${new Date(earliest).toISOString()}): start later${hint}`,
      'rejected',
    );
  }
}
