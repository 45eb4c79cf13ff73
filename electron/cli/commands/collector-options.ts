/** `--collector NAME [--egress NAME] [--fleet-db URL] [--lease-timeout S]`: a daemon's place in a fleet, checked before anything starts. */
import { UsageError } from '../errors.js';
import type { Options } from '../args.js';
import type { FleetConfig } from '../../fleet/fleet-membership.js';

export const COLLECTOR_OPTIONS: Options = {
  collector: { type: 'string' },
  egress: { type: 'string' },
  'fleet-db': { type: 'string' },
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

/** The fleet this daemon joins, or null when it runs alone. */
export function collectorConfig(values: Record<string, unknown>, version: string): FleetConfig | null {
  const collector = values.collector;
  if (typeof collector !== 'string') {
    for (const option of ['egress', 'fleet-db', 'lease-timeout'])
      if (values[option] !== undefined)
        throw new UsageError(`--${option} needs --collector NAME: it only applies to a collector in a fleet`);
    return null;
  }
  const fleetDb = typeof values['fleet-db'] === 'string' ? values['fleet-db'] : undefined;
  const db = typeof values.db === 'string' ? values.db : '';
  const url = fleetDb ?? (POSTGRES_URL.test(db) ? db : undefined);
  if (!url || !POSTGRES_URL.test(url))
    throw new UsageError(
      '--collector needs PostgreSQL for its leases: run it with --db postgres://… (or --fleet-db postgres://… beside a database file every collector shares)',
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
    url,
    leaseTimeoutMs,
    version,
  };
}
