/**
 * The fleet as its tables show it: each collector's heartbeat, version, leases and budget use. Read
 * by `candlekeep fleet` over its own connection, and by `serve` (the `fleet:status` channel,
 * `/metrics`) through the store's own PostgreSQL connection.
 */
import type pg from 'pg';
import type { FleetBudgetUse, FleetStatus } from '../../shared/fleet.js';
import { dialectOf, type SqlDb } from '../store/sql-db.js';

interface CollectorRow {
  name: string;
  version: string;
  egress: string;
  host: string;
  pid: number;
  started_ms: number;
  heartbeat_ms: number | null;
  age_ms: number | null;
  budget: FleetBudgetUse[] | string;
  leases: string | number;
  lease_ms: number;
}

const PRESENT = `SELECT to_regclass('fleet_collectors') IS NOT NULL AS present`;
// A collector that stopped cleanly marks its heartbeat '-infinity': shown as stopped, not as old.
const COLLECTORS = `SELECT c.name, c.version, c.lease_ms, c.egress, c.host, c.pid, c.budget,
    (extract(epoch FROM c.started_at) * 1000)::float8 AS started_ms,
    CASE WHEN c.heartbeat_at = '-infinity' THEN NULL ELSE (extract(epoch FROM c.heartbeat_at) * 1000)::float8 END AS heartbeat_ms,
    CASE WHEN c.heartbeat_at = '-infinity' THEN NULL ELSE (extract(epoch FROM now() - c.heartbeat_at) * 1000)::float8 END AS age_ms,
    (SELECT count(*) FROM fleet_leases l WHERE l.collector = c.name AND l.expires_at > now()) AS leases
  FROM fleet_collectors c ORDER BY c.name`;
const UNLEASED = `SELECT count(*) AS n FROM fleet_leases WHERE collector IS NULL OR expires_at <= now()`;

function toStatus(rows: CollectorRow[], unleased: string | number | undefined): FleetStatus {
  return {
    collectors: rows.map((r) => {
      const age = r.age_ms === null ? null : Number(r.age_ms);
      return {
        name: r.name,
        version: r.version,
        egress: r.egress,
        host: r.host,
        pid: Number(r.pid),
        startedAt: Math.round(Number(r.started_ms)),
        heartbeatAt: r.heartbeat_ms === null ? null : Math.round(Number(r.heartbeat_ms)),
        heartbeatAgeMs: age === null ? null : Math.max(0, Math.round(age)),
        alive: age !== null && age < Number(r.lease_ms),
        leaseTimeoutMs: Number(r.lease_ms),
        leases: Number(r.leases),
        budget: typeof r.budget === 'string' ? (JSON.parse(r.budget) as FleetBudgetUse[]) : r.budget,
      };
    }),
    unleased: Number(unleased ?? 0),
  };
}

export async function fleetStatus(pool: pg.Pool): Promise<FleetStatus> {
  const present = await pool.query<{ present: boolean }>(PRESENT);
  if (!present.rows[0]?.present) return { collectors: null, unleased: 0 };
  const { rows } = await pool.query<CollectorRow>(COLLECTORS);
  const unleased = await pool.query<{ n: string }>(UNLEASED);
  return toStatus(rows, unleased.rows[0]?.n);
}

/** The same through a store's database: no fleet on SQLite, or on a PostgreSQL no collector joined. */
export function storedFleetStatus(db: SqlDb): FleetStatus {
  if (dialectOf(db) !== 'postgres') return { collectors: null, unleased: 0 };
  const present = db.prepare(PRESENT).get() as { present: boolean } | undefined;
  if (!present?.present) return { collectors: null, unleased: 0 };
  const rows = db.prepare(COLLECTORS).all() as CollectorRow[];
  const unleased = db.prepare(UNLEASED).get() as { n: string | number } | undefined;
  return toStatus(rows, unleased?.n);
}
