/**
 * The fleet's own tables, created at collector start (IF NOT EXISTS, under an advisory lock so
 * collectors starting together do not race on the catalog). They live outside the store's numbered
 * migrations: leases are coordination, not candles, and need nothing but PostgreSQL itself.
 */
import type pg from 'pg';

/** Any fixed key: the advisory lock that serialises the fleet's schema setup. */
const SCHEMA_LOCK = 7_406_117_301;

export const FLEET_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS fleet_collectors (
     name text PRIMARY KEY,
     version text NOT NULL,
     egress text NOT NULL,
     host text NOT NULL,
     pid integer NOT NULL,
     started_at timestamptz NOT NULL,
     heartbeat_at timestamptz NOT NULL,
     lease_ms integer NOT NULL DEFAULT 30000,
     budget jsonb NOT NULL DEFAULT '[]'::jsonb
   )`,
  // collector NULL: free. A lease is valid while expires_at > now() on the database's clock.
  `CREATE TABLE IF NOT EXISTS fleet_leases (
     series_id bigint PRIMARY KEY,
     collector text,
     expires_at timestamptz NOT NULL,
     taken_at timestamptz
   )`,
  `CREATE INDEX IF NOT EXISTS fleet_leases_collector ON fleet_leases (collector)`,
];

export async function ensureFleetSchema(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    for (const statement of FLEET_SCHEMA) await client.query(statement);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
