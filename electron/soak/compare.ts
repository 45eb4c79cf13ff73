/**
 * The end-of-soak comparison: every stored candle of every series against what the simulator
 * publishes, value by value, from the series' keep-from time to its live edge.
 */
import type { Store } from '../store/store.js';
import type { Simulator } from '../simulator/simulator.js';
import type { Candle, Series } from '../../shared/domain.js';
import { truthCandlesFor } from './venue-truth.js';

export interface SeriesComparison {
  seriesId: number;
  source: string;
  label: string;
  expected: number;
  /** Stored with exactly the truth's values. */
  matched: number;
  /** Stored with other values than the truth's. */
  wrong: number;
  /** Stored where the truth has no candle. */
  extra: number;
  /** First truth candle not stored as published (open time), for the report. */
  firstMiss: number | null;
}

export const sameCandle = (a: Candle, b: Candle): boolean =>
  a.ts === b.ts &&
  a.open === b.open &&
  a.high === b.high &&
  a.low === b.low &&
  a.close === b.close &&
  a.volume === b.volume;

export function compareSeries(store: Store, sim: Simulator, series: Series, to: number, now: number): SeriesComparison {
  const expected = truthCandlesFor(sim, series, series.startTs, to, now);
  const stored = new Map(store.candles.range(series.id, series.startTs, to).map((c) => [c.ts, c]));
  let matched = 0;
  let wrong = 0;
  let firstMiss: number | null = null;
  for (const truth of expected) {
    const have = stored.get(truth.ts);
    stored.delete(truth.ts);
    if (have && sameCandle(have, truth)) matched++;
    else {
      if (have) wrong++;
      firstMiss ??= truth.ts;
    }
  }
  return {
    seriesId: series.id,
    source: series.source,
    label: `${series.source} ${series.symbol} ${series.timeframe}`,
    expected: expected.length,
    matched,
    wrong,
    extra: stored.size,
    firstMiss,
  };
}

/** Whether every candle the truth has in [from, to) is stored with its values (true when it has none). */
export function rangeStored(
  store: Store,
  sim: Simulator,
  series: Series,
  from: number,
  to: number,
  now: number,
): { truthCandles: number; stored: boolean } {
  const truth = truthCandlesFor(sim, series, from, to, now);
  const stored = new Map(store.candles.range(series.id, from, to).map((c) => [c.ts, c]));
  return {
    truthCandles: truth.length,
    stored: truth.every((c) => {
      const have = stored.get(c.ts);
      return !!have && sameCandle(have, c);
    }),
  };
}
