/**
 * Opening the SQLite database: refuse files that are not SQLite before touching them, WAL, numbered
 * migrations keyed by PRAGMA user_version, and read-only mode for a schema newer than this app.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import type { SqlDb } from './sql-db.js';

/** Either backend (sql-db.ts); `openDatabase` opens the SQLite one. */
export type Db = SqlDb;

/** A problem with the database file that the user must fix; the message names the file and the fix. */
export class DatabaseFileError extends Error {
  override name = 'DatabaseFileError';
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';

function assertSqliteFile(file: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return; // a new database will be created
  }
  if (stat.isDirectory())
    throw new DatabaseFileError(`${file} is a directory, not a database file; pass a file path to --db`);
  if (stat.size === 0) return;
  const header = Buffer.alloc(16);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, header, 0, 16, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (header.toString('latin1') !== SQLITE_MAGIC) {
    throw new DatabaseFileError(
      `${file} is not a Candlekeep database (not an SQLite file); choose another path with --db`,
    );
  }
}

export interface OpenOptions {
  /** Open without writing (no migrations); fails if the file does not exist. */
  readonly?: boolean;
  /**
   * Path of a better_sqlite3.node built for this runtime's ABI. The desktop app passes its
   * Electron build (electron/shell/native-binding.ts); the CLI leaves it unset and gets node_modules'.
   */
  nativeBinding?: string;
}

export interface OpenedDatabase {
  db: Db;
  file: string;
  /** True when the schema is newer than this app: the data is readable, nothing is written. */
  readonly: boolean;
}

/** A server URL given where a file belongs: refused before it becomes a folder named `postgres:`. */
const SERVER_URL = /^postgres(ql)?:\/\//i;

/** Open the SQLite file `file` (Store.open sends a `postgres://` URL to postgres/pg-open.ts instead). */
export function openDatabase(file: string, options: OpenOptions = {}): OpenedDatabase {
  if (SERVER_URL.test(file)) {
    throw new DatabaseFileError('a PostgreSQL URL is opened with Store.open, not as an SQLite file');
  }
  const resolved = file === ':memory:' ? file : path.resolve(file);
  if (resolved !== ':memory:') {
    if (options.readonly && !fs.existsSync(resolved)) {
      throw new DatabaseFileError(`no database at ${resolved}: backfill something first, or pass --db`);
    }
    assertSqliteFile(resolved);
    if (!options.readonly) fs.mkdirSync(path.dirname(resolved), { recursive: true });
  }
  let db: Db;
  try {
    db = new Database(resolved, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
      nativeBinding: options.nativeBinding,
    });
  } catch (err) {
    throw new DatabaseFileError(`cannot open database ${resolved}: ${(err as Error).message}`);
  }
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      db.close();
      const ro = new Database(resolved, { readonly: true, fileMustExist: true, nativeBinding: options.nativeBinding });
      return { db: ro, file: resolved, readonly: true };
    }
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      // Statement journals stay in temp files (temp_store = MEMORY cut a year's backfill from 55k page
      // writes to 31k, but a 7-day soak's memory then grew 1.35x after day 1, not 1.09x).
      migrate(db, version);
    }
    return { db, file: resolved, readonly: options.readonly ?? false };
  } catch (err) {
    db.close();
    if (err instanceof DatabaseFileError) throw err;
    const code = (err as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new DatabaseFileError(
        `${resolved} is corrupt or not a Candlekeep database; restore a backup or choose another path with --db`,
      );
    }
    throw new DatabaseFileError(`cannot open database ${resolved}: ${(err as Error).message}`);
  }
}

function migrate(db: Db, from: number): void {
  for (let v = from; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
