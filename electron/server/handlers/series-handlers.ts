/** Series, candles, gap maps and holes. */
import { addSeries, removeSeries, setSeriesEnabled } from '../../app/series-operations.js';
import type { ApiContext } from './context.js';
import type { Handlers } from '../api.js';
import { ApiError } from '../api-error.js';
import { bucketsFor } from '../chart-buckets.js';
import { gapMap } from '../gap-map.js';
import { liveEdge } from '../../engine/series-planner.js';
import type { Series } from '../../../shared/domain.js';

type SeriesHandlers = Pick<Handlers, 'series:list' | 'series:add' | 'series:pause' | 'series:resume' | 'series:remove' | 'candles:buckets' | 'gaps:map' | 'holes:list'>;

export function seriesHandlers(ctx: ApiContext): SeriesHandlers {
  const get = (id: number): Series => {
    const series = ctx.store.series.get(id);
    if (!series) throw new ApiError(`no series with id ${id}`);
    return series;
  };
  return {
    'series:list': () => ctx.health.seriesViews(),
    'series:add': async (request) => (await addSeries(ctx, request)).series,
    'series:pause': ({ seriesId }) => setSeriesEnabled(ctx, seriesId, false),
    'series:resume': ({ seriesId }) => setSeriesEnabled(ctx, seriesId, true),
    'series:remove': ({ seriesId }) => ({ removedCandles: removeSeries(ctx, seriesId) }),
    'candles:buckets': (args) => bucketsFor(ctx.store, args),
    'gaps:map': ({ seriesId, from, to, maxBuckets }) => {
      const series = get(seriesId);
      return gapMap(ctx.store, series, from, to, maxBuckets, liveEdge(series, ctx.clock.now(), ctx.engine.config.tail));
    },
    'holes:list': ({ seriesId, state }) => ctx.store.holes.list(seriesId).filter((h) => !state || h.state === state),
  };
}
