/**
 * What a backfill would take, from the database alone and without a request: the ranges missing,
 * how many requests and how much budget weight they cost, and how long the budget makes that.
 */
import type { Store } from '../store/store.js';
import type { Source } from '../sources/source.js';
import type { Network } from '../net/network.js';
import type { Clock } from '../net/clock.js';
import { storedGaps } from './coverage.js';
import type { Range } from './hole-ledger.js';
import type { BackfillPlan } from '../../shared/contract.js';
import type { SeriesKey } from '../../shared/domain.js';
import { candleCount, ceilToTimeframe, lastClosedOpen, nextOpen } from '../../shared/timeframe.js';

/** Round-trip time assumed per request when the budget is not what limits the pace. */
const REQUEST_SECONDS = 0.15;

/** Where the source has bulk archives, only what they do not cover goes over REST. */
export interface ArchivePlanner {
  plan(
    symbol: string,
    timeframe: SeriesKey['timeframe'],
    ranges: Range[],
  ): { archives: unknown[]; restRequests: number };
}

export function planBackfill(
  store: Store,
  source: Source,
  network: Network,
  clock: Clock,
  key: SeriesKey,
  from: number,
  to: number,
  archives?: ArchivePlanner,
): BackfillPlan {
  const edge = nextOpen(key.timeframe, lastClosedOpen(key.timeframe, clock.now()));
  const end = Math.min(to, edge);
  const series = store.series.find(key);
  // What a manual backfill fetches (Engine.startBackfill): every candle not stored, settled holes included.
  const start = ceilToTimeframe(key.timeframe, from);
  const ranges =
    start >= end ? [] : series ? storedGaps(store, series.id, key.timeframe, start, end) : [{ from: start, to: end }];
  const archivePlan = archives && ranges.length ? archives.plan(key.symbol, key.timeframe, ranges) : null;
  const requests = archivePlan
    ? archivePlan.restRequests
    : ranges.reduce((n, r) => n + source.windows(key.timeframe, r.from, r.to).length, 0);
  const weight = requests * (source.capabilities.requestWeight ?? 1);
  const budget = network.budgetOf(source.id)?.snapshot();
  const budgetPerMinute = budget ? Math.floor((budget.limit * 60_000) / budget.windowMs) : 0;
  const budgetSeconds = budgetPerMinute > 0 ? Math.max(0, weight - budgetPerMinute) / (budgetPerMinute / 60) : 0;
  return {
    source: key.source,
    symbol: key.symbol,
    timeframe: key.timeframe,
    from,
    to,
    candlesMissing: ranges.reduce((n, r) => n + candleCount(key.timeframe, r.from, r.to), 0),
    requests,
    weight,
    budgetPerMinute,
    estimatedSeconds: Math.ceil(Math.max(budgetSeconds, (requests * REQUEST_SECONDS) / 3)),
    archiveFiles: archivePlan?.archives.length ?? 0,
  };
}
