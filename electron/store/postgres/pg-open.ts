/**
 * Opening a PostgreSQL store from a `postgres://` URL: check the URL, connect (one line naming the
 * problem when the server cannot be reached, the credentials are refused or the database is
 * missing; never the password), apply the numbered migrations under an advisory lock (several
 * collectors may start at once), and make candles a TimescaleDB hypertable where the extension is
 * available. A schema newer than this app opens read-only, as on SQLite.
 */
import { DatabaseFileError, type OpenedDatabase } from '../database.js';
import { PgDb } from './pg-db.js';
import { PgError } from './pg-bridge.js';
import { PG_MIGRATIONS, TIMESCALE_SETUP } from './pg-migrations.js';

export const SERVER_URL = /^postgres(ql)?:\/\//i;

export function isServerUrl(target: string): boolean {
  return SERVER_URL.test(target);
}

/** The URL as it may be shown: user, host, port and database, never the password. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    u.search = '';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

function where(url: URL): string {
  return `${url.hostname || 'localhost'}:${url.port || '5432'}`;
}

function parseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseFileError(
      `--db ${redactUrl(url)} is not a valid PostgreSQL URL; write it as postgres://USER:PASSWORD@HOST:PORT/DATABASE`,
    );
  }
  if (!parsed.hostname || parsed.pathname.length <= 1) {
    throw new DatabaseFileError(
      `--db ${redactUrl(url)} names no ${parsed.hostname ? 'database' : 'host'}; write it as postgres://USER:PASSWORD@HOST:PORT/DATABASE`,
    );
  }
  return parsed;
}

/** A connection failure as one line the user can act on. */
export function connectionProblem(err: unknown, url: URL): DatabaseFileError {
  const code = err instanceof PgError ? err.code : null;
  const at = where(url);
  const user = decodeURIComponent(url.username) || 'the default user';
  const database = decodeURIComponent(url.pathname.slice(1));
  const message = (err as Error).message;
  switch (code) {
    case 'ECONNREFUSED':
      return new DatabaseFileError(
        `cannot reach PostgreSQL at ${at}: connection refused; start the server or fix the host and port in --db`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new DatabaseFileError(`cannot reach PostgreSQL at ${at}: unknown host; fix the host in --db`);
    case '28P01':
    case '28000':
      return new DatabaseFileError(
        `PostgreSQL at ${at} refused the credentials of user ${user}; fix the user or password in --db`,
      );
    case '3D000':
      return new DatabaseFileError(
        `PostgreSQL at ${at} has no database ${database}; create it (createdb ${database}) or fix --db`,
      );
    default:
      if (/timeout/i.test(message))
        return new DatabaseFileError(
          `cannot reach PostgreSQL at ${at}: no answer in 10 s; check the host, port and firewall`,
        );
      return new DatabaseFileError(`cannot open PostgreSQL at ${at}: ${message.replace(url.password, '***')}`);
  }
}

/** Where `schema_version` is missing, 0: the database is empty. */
function schemaVersion(db: PgDb): number {
  const [table] = db.query(`SELECT to_regclass('schema_version') IS NOT NULL AS present`) as Array<{
    present: boolean;
  }>;
  if (!table?.present) return 0;
  const [row] = db.query('SELECT version FROM schema_version') as Array<{ version: number }>;
  return row?.version ?? 0;
}

/** Migration lock: one process migrates, the others wait, then find nothing left to do. */
const MIGRATION_LOCK = 7_340_001;

function migrate(db: PgDb): void {
  db.transaction(() => {
    db.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    let version = schemaVersion(db);
    if (version === 0)
      db.exec(
        'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (0)',
      );
    for (; version < PG_MIGRATIONS.length; version++) {
      db.exec(PG_MIGRATIONS[version]!);
      db.query('UPDATE schema_version SET version = $1', [version + 1]);
    }
    const [timescale] = db.query("SELECT 1 AS ok FROM pg_available_extensions WHERE name = 'timescaledb'") as Array<{
      ok: number;
    }>;
    if (timescale) db.exec(TIMESCALE_SETUP);
  })();
}

export function openPostgres(url: string, options: { readonly?: boolean } = {}): OpenedDatabase {
  const parsed = parseUrl(url);
  const db = new PgDb(url);
  try {
    db.query('SELECT 1');
  } catch (err) {
    db.close();
    throw connectionProblem(err, parsed);
  }
  try {
    const version = schemaVersion(db);
    if (version > PG_MIGRATIONS.length) return { db, file: redactUrl(url), readonly: true };
    if (options.readonly) {
      if (version === 0) {
        throw new DatabaseFileError(
          `no Candlekeep database at ${redactUrl(url)}: backfill something first, or pass --db`,
        );
      }
      return { db, file: redactUrl(url), readonly: true };
    }
    migrate(db);
    return { db, file: redactUrl(url), readonly: false };
  } catch (err) {
    db.close();
    if (err instanceof DatabaseFileError) throw err;
    throw new DatabaseFileError(`cannot prepare PostgreSQL at ${where(parsed)}: ${(err as Error).message}`);
  }
}
