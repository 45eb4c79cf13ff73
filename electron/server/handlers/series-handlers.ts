/** Series, candles, gap maps and holes. */
import { addSeries } from '../../app/series-operations.js';
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
    'series:pause': ({ seriesId }) => {
      get(seriesId);
      ctx.engine.setSeriesEnabled(seriesId, false);
      return get(seriesId);
    },
    'series:resume': ({ seriesId }) => {
      get(seriesId);
      ctx.engine.setSeriesEnabled(seriesId, true);
      return get(seriesId);
    },
    'series:remove': ({ seriesId }) => {
      get(seriesId);
      return { removedCandles: ctx.engine.removeSeries(seriesId) };
    },
    'candles:buckets': (args) => bucketsFor(ctx.store, args),
    'gaps:map': ({ seriesId, from, to, maxBuckets }) => {
      const series = get(seriesId);
      return gapMap(ctx.store, series, from, to, maxBuckets, liveEdge(series, ctx.clock.now(), ctx.engine.config.tail));
    },
    'holes:list': ({ seriesId, state }) => ctx.store.holes.list(seriesId).filter((h) => !state || h.state === state),
  };
}
