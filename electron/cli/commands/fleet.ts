/**
 * `candlekeep fleet --db postgres://… [--json]` (or `CANDLEKEEP_DATABASE_URL`): the collectors sharing
 * the database, each with its heartbeat, version, egress group, leases and budget use.
 */
import pg from 'pg';
import { parse } from '../args.js';
import { UsageError } from '../errors.js';
import { line, type CliIo } from '../io.js';
import { fleetStatus } from '../../fleet/fleet-status.js';
import { textTable } from '../text-table.js';
import { DB_OPTION, dbPath } from './common.js';
import type { FleetCollector, FleetStatus } from '../../../shared/fleet.js';

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

function ago(ms: number | null): string {
  if (ms === null) return '-';
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s ago` : `${Math.round(ms / 1000)} s ago`;
}

function budget(c: FleetCollector): string {
  return c.budget.map((b) => `${b.key} ${b.used}/${b.limit} per ${Math.round(b.windowMs / 1000)} s`).join(', ') || '-';
}

export function fleetTable(status: FleetStatus): string {
  if (!status.collectors) return 'no fleet on this database: start daemons with --collector NAME';
  const rows = status.collectors.map((c) => [
    c.name,
    c.heartbeatAgeMs === null ? 'stopped' : c.alive ? 'alive' : 'dead',
    ago(c.heartbeatAgeMs),
    c.version,
    c.egress,
    `${c.host} (pid ${c.pid})`,
    String(c.leases),
    budget(c),
  ]);
  const header = ['collector', 'state', 'heartbeat', 'version', 'egress', 'host', 'leases', 'budget (used/share)'];
  return `${textTable(header, rows)}\nseries without a live lease: ${status.unleased}`;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, { ...DB_OPTION, json: { type: 'boolean' } });
  const url = dbPath(values, io);
  if (!POSTGRES_URL.test(url))
    throw new UsageError(
      'a fleet lives in PostgreSQL: pass the database its collectors share, e.g. --db postgres://user@host/candlekeep',
    );
  const pool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => undefined); // a lost idle connection: the query below reports it
  try {
    const status = await fleetStatus(pool);
    if (values.json) line(io.stdout, JSON.stringify(status));
    else line(io.stdout, fleetTable(status));
    return 0;
  } catch (err) {
    // The driver's message names the host and the cause; the URL (and any password in it) is not repeated.
    throw new Error(`cannot read the fleet from PostgreSQL: ${(err as Error).message}`);
  } finally {
    await pool.end();
  }
}
