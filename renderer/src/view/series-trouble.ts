/**
 * What state a series is in, for the overview's table, and the order "by trouble": the series that
 * needs the user first comes first (failing, then stale, then with open holes...). Pure.
 */
import type { SeriesView } from '../../../shared/contract';
import type { Job } from '../../../shared/domain';

export type SeriesCondition = 'failing' | 'stale' | 'holes' | 'backfilling' | 'paused' | 'ok';

const RANK: Record<SeriesCondition, number> = { failing: 0, stale: 1, holes: 2, backfilling: 3, paused: 4, ok: 5 };

export const CONDITION_LABEL: Record<SeriesCondition, string> = {
  failing: 'failing',
  stale: 'stale',
  holes: 'open holes',
  backfilling: 'backfilling',
  paused: 'paused',
  ok: 'ok',
};

/** Series with a history job running (a new series is behind because it is being filled, not stale). */
export function backfillingSeries(jobs: Job[]): Set<number> {
  return new Set(
    jobs
      .filter((j) => (j.kind === 'backfill' || j.kind === 'manual') && (j.state === 'running' || j.state === 'queued'))
      .map((j) => j.seriesId),
  );
}

export function seriesCondition(s: SeriesView, staleThreshold: number, backfilling: boolean): SeriesCondition {
  if (!s.enabled) return 'paused';
  if (s.lastError) return 'failing';
  if (backfilling) return 'backfilling';
  if (s.freshness.candlesBehind >= staleThreshold) return 'stale';
  if (s.openHoles > 0) return 'holes';
  return 'ok';
}

export interface RankedSeries {
  series: SeriesView;
  condition: SeriesCondition;
}

export function byTrouble(series: SeriesView[], staleThreshold: number, backfilling: Set<number>): RankedSeries[] {
  return series
    .map((s) => ({ series: s, condition: seriesCondition(s, staleThreshold, backfilling.has(s.id)) }))
    .sort(
      (a, b) =>
        RANK[a.condition] - RANK[b.condition] ||
        b.series.freshness.candlesBehind - a.series.freshness.candlesBehind ||
        b.series.openHoles - a.series.openHoles ||
        (a.series.completeness ?? 1) - (b.series.completeness ?? 1) ||
        a.series.symbol.localeCompare(b.series.symbol) ||
        a.series.id - b.series.id,
    );
}
