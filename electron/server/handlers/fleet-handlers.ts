/** The fleet of collectors sharing this PostgreSQL database (none on SQLite). */
import type { ApiContext } from './context.js';
import type { Handlers } from '../api.js';
import { storedFleetStatus } from '../../fleet/fleet-status.js';

type FleetHandlers = Pick<Handlers, 'fleet:status'>;

export function fleetHandlers(ctx: ApiContext): FleetHandlers {
  return {
    'fleet:status': () => storedFleetStatus(ctx.store.db),
  };
}
