/** Health over time: the overview's heartbeats and SLOs, a source's and a series' history. */
import type { ApiContext } from './context.js';
import type { Handlers } from '../api.js';
import { ApiError } from '../api-error.js';

type HistoryHandlers = Pick<Handlers, 'history:overview' | 'history:source' | 'history:series'>;

export function historyHandlers(ctx: ApiContext): HistoryHandlers {
  return {
    'history:overview': () => ctx.history.overview(),
    'history:source': ({ source, range }) => ctx.history.source(source, range),
    'history:series': ({ seriesId, range }) => {
      if (!ctx.store.series.get(seriesId)) throw new ApiError(`no series ${seriesId}; list them with series:list`);
      return ctx.history.series(seriesId, range);
    },
  };
}
