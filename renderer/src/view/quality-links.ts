/** Where a quality finding opens the chart: around the candles it names, with context either side. Pure. */
import { timeframeMs, type Timeframe } from '../../../shared/timeframe';
import type { Route } from '../routing/route';

/** Candles of context shown on each side (the chart's narrowest view is 20 candles). */
const CONTEXT_CANDLES = 30;

export function chartAround(
  seriesId: number,
  timeframe: Timeframe,
  from: number,
  to: number = from + timeframeMs(timeframe),
): Route {
  const pad = CONTEXT_CANDLES * timeframeMs(timeframe);
  return { page: 'chart', seriesId, from: from - pad, to: Math.max(to, from + timeframeMs(timeframe)) + pad };
}
