/** Exports for the dashboard: a link to a streamed download (GET /export, export-route.ts). */
import type { ApiContext } from './context.js';
import type { Handlers } from '../api.js';
import { exportLink } from '../export-route.js';

export function exportHandlers(ctx: ApiContext): Pick<Handlers, 'candles:export'> {
  return {
    'candles:export': (args) => exportLink(ctx.store, args),
  };
}
