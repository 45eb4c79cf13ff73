import { describe, expect, it } from 'vitest';
import type { SeriesView } from '../../../shared/contract';
import type { Job } from '../../../shared/domain';
import { backfillingSeries, byTrouble, seriesCondition } from './series-trouble';

function view(id: number, patch: Partial<SeriesView> = {}, behind = 0): SeriesView {
  return {
    id,
    source: 'binance',
    symbol: `S${id}`,
    timeframe: '1m',
    startTs: 0,
    enabled: true,
    createdAt: 0,
    candleCount: 10,
    firstTs: 0,
    lastTs: 0,
    openHoles: 0,
    completeness: 1,
    lastError: null,
    freshness: { seriesId: id, candlesBehind: behind, ageMs: 0 },
    ...patch,
  };
}

describe('series trouble', () => {
  it.each<[string, SeriesView, boolean, string]>([
    ['paused wins over everything', view(1, { enabled: false, lastError: 'x' }, 99), false, 'paused'],
    ['a failing job', view(1, { lastError: 'HTTP 500' }), false, 'failing'],
    ['far behind while its history is fetched', view(1, {}, 5_000), true, 'backfilling'],
    ['behind by the threshold', view(1, {}, 3), false, 'stale'],
    ['open holes', view(1, { openHoles: 2 }), false, 'holes'],
    ['up to date', view(1, {}, 1), false, 'ok'],
  ])('%s', (_name, s, backfilling, expected) => {
    expect(seriesCondition(s, 3, backfilling)).toBe(expected);
  });

  it('sorts the series that needs the user first', () => {
    const ranked = byTrouble(
      [view(1), view(2, { openHoles: 1 }), view(3, {}, 10), view(4, {}, 50), view(5, { lastError: 'boom' })],
      3,
      new Set(),
    );
    expect(ranked.map((r) => r.series.id)).toEqual([5, 4, 3, 2, 1]);
  });

  it('counts only running or queued history jobs as backfilling', () => {
    const job = (seriesId: number, kind: Job['kind'], state: Job['state']): Job => ({
      id: `${kind}-${seriesId}`,
      seriesId,
      kind,
      state,
      from: 0,
      to: 1,
      windowsDone: 0,
      windowsTotal: 1,
      candlesStored: 0,
      startedAt: null,
      finishedAt: null,
      rate: 0,
      etaSec: null,
      error: null,
    });
    expect([
      ...backfillingSeries([
        job(1, 'backfill', 'running'),
        job(2, 'tail', 'running'),
        job(3, 'manual', 'done'),
        job(4, 'manual', 'queued'),
      ]),
    ]).toEqual([1, 4]);
  });
});
