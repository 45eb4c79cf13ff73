/** The quality report for the dashboard: the same numbers `candlekeep quality` prints. */
import type { ApiContext } from './context.js';
import type { Handlers } from '../api.js';
import { ApiError } from '../api-error.js';
import { qualityReports } from '../../quality/quality-report.js';

type QualityHandlers = Pick<Handlers, 'quality:report'>;

export function qualityHandlers(ctx: ApiContext): QualityHandlers {
  return {
    'quality:report': ({ seriesIds }) => {
      const all = ctx.store.series.list();
      const selected = seriesIds
        ? seriesIds.map((id) => {
            const series = all.find((s) => s.id === id);
            if (!series) throw new ApiError(`no series with id ${id}`);
            return series;
          })
        : all;
      return qualityReports(ctx.store, selected, ctx.clock.now(), { tail: ctx.engine.config.tail });
    },
  };
}
