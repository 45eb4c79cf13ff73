/** `--collector NAME [--egress NAME] [--lease-timeout S]`: a daemon's place in a fleet, checked before anything starts. */
import { UsageError } from '../errors.js';
import type { Options } from '../args.js';
import type { FleetConfig } from '../../fleet/fleet-membership.js';

export const COLLECTOR_OPTIONS: Options = {
  collector: { type: 'string' },
  egress: { type: 'string' },
  'lease-timeout': { type: 'string' },
};

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const POSTGRES_URL = /^postgres(ql)?:\/\//i;

function name(value: string, option: string): string {
  if (!NAME.test(value))
    throw new UsageError(
      `--${option} '${value}' is not a name: use up to 64 letters, digits, '.', '_' or '-' (e.g. --${option} eu-1)`,
    );
  return value;
}

/** The fleet this daemon joins on its database `target` (a `postgres://` URL), or null when it runs alone. */
export function collectorConfig(values: Record<string, unknown>, target: string, version: string): FleetConfig | null {
  const collector = values.collector;
  if (typeof collector !== 'string') {
    for (const option of ['egress', 'lease-timeout'])
      if (values[option] !== undefined)
        throw new UsageError(`--${option} needs --collector NAME: it only applies to a collector in a fleet`);
    return null;
  }
  // The collectors share one PostgreSQL database: the candles, the ledger and the leases.
  if (!POSTGRES_URL.test(target))
    throw new UsageError(
      '--collector needs the PostgreSQL database the collectors share: add --db postgres://USER@HOST/DATABASE (or set CANDLEKEEP_DATABASE_URL)',
    );
  let leaseTimeoutMs: number | undefined;
  if (values['lease-timeout'] !== undefined) {
    const seconds = Number(values['lease-timeout']);
    if (!Number.isFinite(seconds) || seconds < 3 || seconds > 3600)
      throw new UsageError(
        `--lease-timeout '${String(values['lease-timeout'])}' must be seconds from 3 to 3600 (default 30)`,
      );
    leaseTimeoutMs = Math.round(seconds * 1000);
  }
  return {
    collector: name(collector, 'collector'),
    egress: typeof values.egress === 'string' ? name(values.egress, 'egress') : undefined,
    url: target,
    leaseTimeoutMs,
    version,
  };
}
