/**
 * PostgreSQL behind the same synchronous surface as better-sqlite3 (../sql-db.ts), so the stores run
 * unchanged on either backend. Statements go through the bridge (pg-bridge.ts) one round trip each;
 * a transaction holds one pooled client, and a transaction inside a transaction is a SAVEPOINT.
 */
import type { RunResult, SqlDb, SqlStatement, SqlTransaction } from '../sql-db.js';
import { PgBridge } from './pg-bridge.js';
import { pgParams, toPgSql, type PgSql } from './pg-sql.js';

/** The savepoint around a COPY inside a transaction (never nested: a COPY runs nothing else). */
const COPY_SAVEPOINT = 'copy_in';

class PgStatement implements SqlStatement {
  private readonly statement: PgSql;
  private plucking = false;
  private arrays = false;

  constructor(
    private readonly bridge: PgBridge,
    sql: string,
  ) {
    this.statement = toPgSql(sql);
  }

  private rows(params: unknown[]): { rows: unknown[]; rowCount: number } {
    return this.bridge.query({
      sql: this.statement.text,
      params: pgParams(this.statement, params),
      arrays: this.arrays || this.plucking,
    });
  }

  private shape(row: unknown): unknown {
    return this.plucking && row !== undefined ? (row as unknown[])[0] : row;
  }

  run(...params: unknown[]): RunResult {
    const { rows, rowCount } = this.rows(params);
    const first = rows[0] as Record<string, unknown> | undefined;
    const id = first && !Array.isArray(first) && typeof first.id === 'number' ? first.id : 0;
    return { changes: rowCount, lastInsertRowid: id };
  }

  get(...params: unknown[]): unknown {
    return this.shape(this.rows(params).rows[0]);
  }

  all(...params: unknown[]): unknown[] {
    const { rows } = this.rows(params);
    return this.plucking ? rows.map((r) => (r as unknown[])[0]) : rows;
  }

  iterate(...params: unknown[]): IterableIterator<unknown> {
    return this.all(...params)[Symbol.iterator]();
  }

  pluck(toggle = true): this {
    this.plucking = toggle;
    return this;
  }

  raw(toggle = true): this {
    this.arrays = toggle;
    return this;
  }
}

export class PgDb implements SqlDb {
  readonly dialect = 'postgres' as const;
  private readonly bridge: PgBridge;
  private depth = 0;
  private isOpen = true;

  constructor(url: string) {
    this.bridge = new PgBridge(url);
  }

  get open(): boolean {
    return this.isOpen;
  }

  prepare(sql: string): SqlStatement {
    return new PgStatement(this.bridge, sql);
  }

  /** Run SQL as written (several statements allowed, no parameters). */
  exec(sql: string): this {
    this.bridge.query({ sql });
    return this;
  }

  /** Rows of one query, for callers that speak PostgreSQL's own SQL ($n placeholders). */
  query(sql: string, params: unknown[] = []): unknown[] {
    return this.bridge.query({ sql, params }).rows;
  }

  /** Rows changed by one statement in PostgreSQL's own SQL. */
  change(sql: string, params: unknown[] = []): number {
    return this.bridge.query({ sql, params }).rowCount;
  }

  /**
   * `COPY … FROM STDIN` fed with `data` (CSV, text or binary, as `sql` says); returns the rows copied.
   * All or nothing, and inside a transaction a COPY that fails leaves the transaction usable (a
   * duplicate key can be written again as an upsert): the COPY runs in a savepoint, sent with it in
   * one round trip.
   */
  copyIn(sql: string, data: string | Uint8Array): number {
    if (this.depth === 0) return this.bridge.copy(sql, data);
    try {
      return this.bridge.copy(`SAVEPOINT ${COPY_SAVEPOINT}; ${sql}; RELEASE ${COPY_SAVEPOINT}`, data);
    } catch (err) {
      this.bridge.defer(`ROLLBACK TO ${COPY_SAVEPOINT}; RELEASE ${COPY_SAVEPOINT}`);
      throw err;
    }
  }

  transaction<T>(fn: () => T): SqlTransaction<T> {
    const run = (): T => this.inTransaction(fn);
    return Object.assign(run, { immediate: run });
  }

  private inTransaction<T>(fn: () => T): T {
    const savepoint = this.depth > 0 ? `SAVEPOINT s${this.depth}` : null;
    if (savepoint) this.bridge.defer(savepoint);
    else this.bridge.begin();
    this.depth++;
    let result: T;
    try {
      result = fn();
    } catch (err) {
      this.depth--;
      if (!savepoint) this.bridge.end('ROLLBACK');
      else if (!this.bridge.retract(savepoint)) this.bridge.defer(`ROLLBACK TO ${savepoint}`);
      throw err;
    }
    this.depth--;
    if (!savepoint) this.bridge.end('COMMIT');
    else if (!this.bridge.retract(savepoint)) this.bridge.defer(`RELEASE ${savepoint}`);
    return result;
  }

  /** SQLite's PRAGMAs have no PostgreSQL meaning; the stores ask for none on this backend. */
  pragma(source: string): never {
    throw new Error(`PRAGMA ${source} is SQLite's; this database is PostgreSQL`);
  }

  close(): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.bridge.close();
  }
}
