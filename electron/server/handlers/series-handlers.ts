/** Series, candles, gap maps and holes. */
import { addSeries, removeSeries, setSeriesEnabled } from '../../app/series-operations.js';
import type { ApiContext } from './context.js';
import type { Handlers } from '../api.js';
import { ApiError } from '../api-error.js';
import { bucketsFor } from '../chart-buckets.js';
import { gapMap } from '../gap-map.js';
import { liveEdge } from '../../engine/series-planner.js';
import type { GapMapArgs } from '../read-protocol.js';

/** The gap map's arguments with the series and its live edge looked up (here, or before a read worker takes them). */
export function gapMapArgs(
  ctx: Pick<ApiContext, 'store' | 'clock' | 'engine'>,
  args: { seriesId: number; from: number; to: number; maxBuckets: number },
): GapMapArgs {
  const series = ctx.store.series.get(args.seriesId);
  if (!series) throw new ApiError(`no series with id ${args.seriesId}`);
  return {
    series,
    from: args.from,
    to: args.to,
    maxBuckets: args.maxBuckets,
    liveEdge: liveEdge(series, ctx.clock.now(), ctx.engine.config.tail),
  };
}

type SeriesHandlers = Pick<
  Handlers,
  | 'series:list'
  | 'series:add'
  | 'series:pause'
  | 'series:resume'
  | 'series:remove'
  | 'candles:buckets'
  | 'gaps:map'
  | 'holes:list'
>;

export function seriesHandlers(ctx: ApiContext): SeriesHandlers {
  return {
    'series:list': () => ctx.health.seriesViews(),
    'series:add': async (request) => (await addSeries(ctx, request)).series,
    'series:pause': ({ seriesId }) => setSeriesEnabled(ctx, seriesId, false),
    'series:resume': ({ seriesId }) => setSeriesEnabled(ctx, seriesId, true),
    'series:remove': ({ seriesId }) => ({ removedCandles: removeSeries(ctx, seriesId) }),
    'candles:buckets': (args) => bucketsFor(ctx.store, args),
    'gaps:map': (args) => {
      const a = gapMapArgs(ctx, args);
      return gapMap(ctx.store, a.series, a.from, a.to, a.maxBuckets, a.liveEdge);
    },
    'holes:list': ({ seriesId, state }) => ctx.store.holes.list(seriesId).filter((h) => !state || h.state === state),
  };
}
