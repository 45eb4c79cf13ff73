/** The fleet as its tables show it: each collector's heartbeat, version, leases and budget use. */
import type pg from 'pg';
import type { FleetBudgetUse, FleetStatus } from '../../shared/fleet.js';

interface CollectorRow {
  name: string;
  version: string;
  egress: string;
  host: string;
  pid: number;
  started_ms: number;
  heartbeat_ms: number | null;
  age_ms: number | null;
  budget: FleetBudgetUse[];
  leases: string;
  lease_ms: number;
}

export async function fleetStatus(pool: pg.Pool): Promise<FleetStatus> {
  const exists = await pool.query<{ present: boolean }>(
    `SELECT to_regclass('fleet_collectors') IS NOT NULL AS present`,
  );
  if (!exists.rows[0]?.present) return { collectors: null, unleased: 0 };
  const { rows } = await pool.query<CollectorRow>(
    `SELECT c.name, c.version, c.lease_ms, c.egress, c.host, c.pid, c.budget,
            (extract(epoch FROM c.started_at) * 1000)::float8 AS started_ms,
            CASE WHEN c.heartbeat_at = '-infinity' THEN NULL
                 ELSE (extract(epoch FROM c.heartbeat_at) * 1000)::float8 END AS heartbeat_ms,
            CASE WHEN c.heartbeat_at = '-infinity' THEN NULL
                 ELSE (extract(epoch FROM now() - c.heartbeat_at) * 1000)::float8 END AS age_ms,
            (SELECT count(*) FROM fleet_leases l WHERE l.collector = c.name AND l.expires_at > now()) AS leases
       FROM fleet_collectors c ORDER BY c.name`,
  );
  const unleased = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM fleet_leases WHERE collector IS NULL OR expires_at <= now()`,
  );
  return {
    collectors: rows.map((r) => ({
      name: r.name,
      version: r.version,
      egress: r.egress,
      host: r.host,
      pid: r.pid,
      startedAt: Math.round(r.started_ms),
      // A collector that stopped cleanly marks its heartbeat as never: shown as stopped, not as old.
      heartbeatAt: r.heartbeat_ms === null ? null : Math.round(r.heartbeat_ms),
      heartbeatAgeMs: r.age_ms === null ? null : Math.max(0, Math.round(r.age_ms)),
      alive: r.age_ms !== null && r.age_ms < r.lease_ms,
      leaseTimeoutMs: r.lease_ms,
      leases: Number(r.leases),
      budget: r.budget,
    })),
    unleased: Number(unleased.rows[0]?.n ?? 0),
  };
}
