/** The engine, jobs and manual backfills. */
import { startBackfill } from '../../app/series-operations.js';
import type { ApiContext } from './context.js';
import type { Handlers } from '../api.js';
import { planBackfill } from '../../engine/backfill-plan.js';
import { assertServes } from '../../sources/capabilities.js';
import { ApiError } from '../api-error.js';

type EngineHandlers = Pick<
  Handlers,
  | 'engine:status'
  | 'engine:pause'
  | 'engine:resume'
  | 'jobs:list'
  | 'backfill:plan'
  | 'backfill:start'
  | 'jobs:cancel'
  | 'jobs:pause'
  | 'jobs:resume'
  | 'jobs:retry'
>;

/** Jobs run in the engine's process: refused, before anything changes, where there is none. */
function assertCollecting(ctx: ApiContext): void {
  if (ctx.collecting === false) {
    throw new ApiError(
      "this server does not run the engine (serve --no-engine): run the backfill where the engine runs, e.g. 'candlekeep backfill …' beside the daemon",
    );
  }
}

export function engineHandlers(ctx: ApiContext): EngineHandlers {
  const status = () => ctx.health.status(ctx.alerts.list().length);
  const jobs = () => ctx.engine.jobList();
  return {
    'engine:status': status,
    'engine:pause': () => {
      ctx.engine.pause();
      return status();
    },
    'engine:resume': () => {
      ctx.engine.resume();
      return status();
    },
    'jobs:list': jobs,
    'backfill:plan': ({ source, symbol, timeframe, from, to }) => {
      const src = ctx.sourceFor(source);
      assertServes(src, timeframe, from, ctx.clock.now());
      return planBackfill(
        ctx.store,
        src,
        ctx.network,
        ctx.clock,
        { source: src.id, symbol: src.normalizeSymbol(symbol), timeframe },
        from,
        to,
        ctx.bulkFor(src),
      );
    },
    'backfill:start': (request) => {
      assertCollecting(ctx);
      return startBackfill(ctx, request);
    },
    'jobs:cancel': ({ jobId }) => {
      ctx.engine.cancelJob(jobId);
      return jobs();
    },
    'jobs:pause': ({ jobId }) => {
      ctx.engine.pauseJob(jobId);
      return jobs();
    },
    'jobs:resume': ({ jobId }) => {
      ctx.engine.resumeJob(jobId);
      return jobs();
    },
    'jobs:retry': ({ jobId }) => {
      assertCollecting(ctx);
      return ctx.engine.retryJob(jobId);
    },
  };
}
