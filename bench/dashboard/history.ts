/**
 * The history queries with 10 sources' history at full retention (history-load.ts), against a 300 ms
 * limit: a source over 90 days, 7 days and 24 hours, and the overview's heartbeats and SLOs.
 */
import { HISTORY_SOURCES } from '../history-load.js';
import { timedApiCall } from './api-call.js';
import { limit, median, worst, type TimedClaim } from './claims.js';

const LIMIT_MS = 300;

/** Every source's history over one range, each asked once: the times of all of them. */
async function historyCalls(url: string, range: string): Promise<number[]> {
  const times: number[] = [];
  for (const source of HISTORY_SOURCES) times.push(await timedApiCall(url, 'history:source', { source, range }));
  return times;
}

export async function benchHistory(url: string, seriesCount: number): Promise<TimedClaim[]> {
  await historyCalls(url, '90d'); // warm: the page cache, as for a dashboard already open
  const history90d = await historyCalls(url, '90d');
  const history7d = await historyCalls(url, '7d');
  const history24h = await historyCalls(url, '24h');
  const historyOverview: number[] = [];
  for (let i = 0; i < 5; i++) historyOverview.push(await timedApiCall(url, 'history:overview'));
  const slowestSource = (range: string, times: number[], note: string): TimedClaim => ({
    name: `'history:source' over ${range}, slowest of ${HISTORY_SOURCES.length} sources`,
    ms: worst(times),
    against: limit(LIMIT_MS),
    note,
  });
  return [
    slowestSource(
      '90 days',
      history90d,
      `hour buckets, 2 hosts × 3 outcomes each; median ${Math.round(median(history90d))} ms`,
    ),
    slowestSource('7 days', history7d, `median ${Math.round(median(history7d))} ms`),
    slowestSource('24 hours', history24h, `minute buckets; median ${Math.round(median(history24h))} ms`),
    {
      name: `'history:overview' (heartbeats of ${HISTORY_SOURCES.length} sources, SLOs over 24 h and 7 d)`,
      ms: median(historyOverview),
      against: limit(LIMIT_MS),
      note: `median of 5, slowest ${Math.round(worst(historyOverview))} ms; completeness counts a week of candles of ${seriesCount} series`,
    },
  ];
}
