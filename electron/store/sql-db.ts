/**
 * The database surface the stores use, which both backends implement: better-sqlite3's own
 * `Database` (SQLite) and `PgDb` (PostgreSQL through a synchronous bridge, postgres/pg-db.ts). Both
 * are synchronous, so every store, the engine and the server run unchanged on either.
 */

export type SqlDialect = 'sqlite' | 'postgres';

export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

export interface SqlStatement {
  run(...params: unknown[]): RunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
  /** Rows as their first column only. */
  pluck(toggle?: boolean): this;
  /** Rows as arrays of their columns. */
  raw(toggle?: boolean): this;
}

/** A function run in one transaction; `immediate` takes the write lock first (SQLite; the same on PostgreSQL). */
export interface SqlTransaction<T> {
  (): T;
  immediate(): T;
}

export interface SqlDb {
  readonly open: boolean;
  prepare(sql: string): SqlStatement;
  exec(sql: string): unknown;
  transaction<T>(fn: () => T): SqlTransaction<T>;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  close(): unknown;
}

/** Which dialect a database speaks: PgDb says so, anything else is SQLite. */
export function dialectOf(db: SqlDb): SqlDialect {
  return (db as { dialect?: SqlDialect }).dialect ?? 'sqlite';
}
