/**
 * PostgreSQL behind the same synchronous surface as better-sqlite3 (../sql-db.ts), so the stores run
 * unchanged on either backend. Statements go through the bridge (pg-bridge.ts) one round trip each;
 * a transaction holds one pooled client, and a transaction inside a transaction is a SAVEPOINT.
 *
 * `transactionAsync` lets the caller go on while the server does the bulk of the work: the COPYs
 * asked for inside it are kept and sent with its COMMIT, whose answer the caller awaits.
 */
import type { RunResult, SqlDb, SqlStatement, SqlTransaction } from '../sql-db.js';
import { PgBridge, PgError, type KeptCopy } from './pg-bridge.js';
import { pgParams, toPgSql, type PgSql } from './pg-sql.js';

/** The savepoint around a COPY inside a transaction (never nested: a COPY runs nothing else). */
const COPY_SAVEPOINT = 'copy_in';

/** PostgreSQL's SQLSTATE for a duplicate key. */
export const UNIQUE_VIOLATION = '23505';

/** A COPY kept for the commit, with the savepoint depth it was asked for at (dropped if that savepoint is rolled back). */
interface Kept extends KeptCopy {
  table: string;
  depth: number;
}

/** The fixed part of a binary COPY's header with no extension, and the trailer (a field count of -1). */
const BINARY_HEADER_BYTES = 19;
const BINARY_TRAILER_BYTES = 2;

/** A binary COPY input that is one whole stream with a header without extension (the only kind we write). */
function plainBinary(data: KeptCopy['data']): data is Uint8Array {
  if (!(data instanceof Uint8Array) || data.length < BINARY_HEADER_BYTES + BINARY_TRAILER_BYTES) return false;
  const extension = new DataView(data.buffer, data.byteOffset + 15, 4).getUint32(0);
  return extension === 0;
}

/**
 * Consecutive binary COPYs of one statement joined into one COPY, fed their rows one after another
 * (each input without its header but the first's, and without its trailer but the last's): a COPY
 * costs the server more than its rows to start (pg-copy-binary.ts), so a commit's pages go in one.
 */
function joinCopies(copies: KeptCopy[]): KeptCopy[] {
  const joined: KeptCopy[] = [];
  let run: Uint8Array[] = [];
  const flush = (sql: string): void => {
    if (!run.length) return;
    const last = run.length - 1;
    const segments = run.map((d, i) =>
      d.subarray(i === 0 ? 0 : BINARY_HEADER_BYTES, i === last ? d.length : d.length - BINARY_TRAILER_BYTES),
    );
    joined.push({ sql, data: segments.length === 1 ? segments[0]! : segments });
    run = [];
  };
  for (const [i, copy] of copies.entries()) {
    const binary = /\bFORMAT\s+binary\b/i.test(copy.sql) && plainBinary(copy.data);
    if (binary && run.length && copies[i - 1]!.sql !== copy.sql) flush(copies[i - 1]!.sql);
    if (binary) run.push(copy.data as Uint8Array);
    else {
      if (run.length) flush(copies[i - 1]!.sql);
      joined.push(copy);
    }
  }
  if (run.length) flush(copies[copies.length - 1]!.sql);
  return joined;
}

function copyOf(data: KeptCopy['data']): KeptCopy['data'] {
  if (typeof data === 'string') return data;
  return Array.isArray(data) ? data.map((d) => d.slice()) : data.slice();
}

class PgStatement implements SqlStatement {
  private readonly statement: PgSql;
  private plucking = false;
  private arrays = false;

  constructor(
    private readonly db: PgDb,
    private readonly bridge: PgBridge,
    sql: string,
  ) {
    this.statement = toPgSql(sql);
  }

  private rows(params: unknown[]): { rows: unknown[]; rowCount: number } {
    this.db.sendKeptCopiesFor(this.statement.text);
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
  /** Inside `transactionAsync`: COPYs may be kept for the commit. */
  private keeping = false;
  private kept: Kept[] = [];
  /**
   * Kept COPYs sent inside a savepoint deeper than their own, with that depth: if the savepoint is
   * rolled back, so are they, and they are kept again for their own level.
   */
  private sentInside: Array<{ copy: Kept; sentAt: number }> = [];
  /** A kept COPY failed on a duplicate key: the transaction is run again, writing as it goes. */
  private keptFailed = false;

  constructor(url: string) {
    this.bridge = new PgBridge(url);
  }

  get open(): boolean {
    return this.isOpen;
  }

  prepare(sql: string): SqlStatement {
    return new PgStatement(this, this.bridge, sql);
  }

  /** Run SQL as written (several statements allowed, no parameters). */
  exec(sql: string): this {
    this.sendKeptCopiesFor(sql);
    this.bridge.query({ sql });
    return this;
  }

  /** Rows of one query, for callers that speak PostgreSQL's own SQL ($n placeholders). */
  query(sql: string, params: unknown[] = []): unknown[] {
    this.sendKeptCopiesFor(sql);
    return this.bridge.query({ sql, params }).rows;
  }

  /** Rows changed by one statement in PostgreSQL's own SQL. */
  change(sql: string, params: unknown[] = []): number {
    this.sendKeptCopiesFor(sql);
    return this.bridge.query({ sql, params }).rowCount;
  }

  /**
   * One `COPY … FROM STDIN` per input, fed with it (CSV, text or binary, as `sql` says); returns the
   * rows copied. All or nothing, and inside a transaction a COPY that fails leaves the transaction
   * usable (a duplicate key can be written again as an upsert): the COPYs run in a savepoint, sent
   * with them in one round trip.
   */
  copyIn(sql: string, inputs: Array<string | Uint8Array>): number {
    return this.sendCopies(inputs.map((data) => ({ sql, data })));
  }

  private sendCopies(copies: KeptCopy[]): number {
    const text = copies.map((c) => c.sql).join('; ');
    const inputs = copies.map((c) => c.data);
    if (this.depth === 0) return this.bridge.copy(text, inputs);
    try {
      return this.bridge.copy(`SAVEPOINT ${COPY_SAVEPOINT}; ${text}; RELEASE ${COPY_SAVEPOINT}`, inputs);
    } catch (err) {
      this.bridge.defer(`ROLLBACK TO ${COPY_SAVEPOINT}; RELEASE ${COPY_SAVEPOINT}`);
      throw err;
    }
  }

  /** Whether a COPY asked for now may be kept for the commit (`keepCopy`): inside `transactionAsync`. */
  get keepsCopies(): boolean {
    return this.keeping;
  }

  /**
   * Keep `COPY … FROM STDIN` fed with each of `inputs` for the commit of the `transactionAsync`
   * around it. Every statement that names the COPY's table sends it first, so the transaction
   * reads its own rows as ever. A duplicate key, found only then, runs the transaction again
   * writing as it goes (see `transactionAsync`).
   */
  keepCopy(sql: string, inputs: Uint8Array[]): void {
    if (!this.keeping) throw new Error('keepCopy is only for inside transactionAsync');
    const table = /^COPY\s+(\w+)/i.exec(sql)?.[1];
    if (!table) throw new Error(`not a COPY statement: ${sql.slice(0, 40)}`);
    for (const data of inputs) this.kept.push({ sql, data, table: table.toLowerCase(), depth: this.depth });
  }

  /** Send the kept COPYs now if `sql` names one's table (it may read or change their rows). */
  sendKeptCopiesFor(sql: string): void {
    if (!this.kept.length) return;
    const text = sql.toLowerCase();
    const names = (table: string): boolean => text.includes(table) && new RegExp(`\\b${table}\\b`).test(text);
    if (!this.kept.some((k) => names(k.table))) return;
    const kept = this.kept;
    this.kept = [];
    for (const copy of kept) if (copy.depth < this.depth) this.sentInside.push({ copy, sentAt: this.depth });
    // Sending moves the bytes to the worker; a copy that may be kept again keeps its own.
    const sent = kept.map((k) => (k.depth < this.depth ? { ...k, data: copyOf(k.data) } : k));
    try {
      this.sendCopies(joinCopies(sent));
    } catch (err) {
      if ((err as PgError).code === UNIQUE_VIOLATION) this.keptFailed = true;
      throw err;
    }
  }

  /**
   * `transaction`, whose COMMIT the caller awaits instead of blocking on it, sent with the COPYs
   * kept inside it (`keepCopy`): the caller's next work overlaps the server's. `fn` runs synchronously
   * as in `transaction`, and must only touch the database: when a kept COPY meets a duplicate key
   * (rows another writer stored meanwhile), the whole transaction is rolled back and `fn` runs again
   * as a plain `transaction`, whose writes then upsert. Inside another transaction it is simply part
   * of that one.
   */
  async transactionAsync<T>(fn: () => T): Promise<T> {
    if (this.depth > 0) return this.transaction(fn)();
    this.bridge.begin();
    this.depth++;
    this.keeping = true;
    let result: T;
    try {
      result = fn();
    } catch (err) {
      this.depth--;
      this.stopKeeping();
      this.bridge.end('ROLLBACK');
      if (this.takeKeptFailure()) return this.transaction(fn)();
      throw err;
    }
    this.depth--;
    if (this.takeKeptFailure()) {
      // `fn` caught the duplicate key itself; its kept rows were not written.
      this.stopKeeping();
      this.bridge.end('ROLLBACK');
      return this.transaction(fn)();
    }
    const kept = this.stopKeeping();
    try {
      await this.bridge.endAsync(kept);
    } catch (err) {
      if (kept.length && (err as PgError).code === UNIQUE_VIOLATION) return this.transaction(fn)();
      throw err;
    }
    return result;
  }

  /** Stop keeping COPYs; returns those kept, joined (see `joinCopies`). */
  private stopKeeping(): KeptCopy[] {
    const kept = this.kept;
    this.kept = [];
    this.sentInside = [];
    this.keeping = false;
    return joinCopies(kept);
  }

  private takeKeptFailure(): boolean {
    const failed = this.keptFailed;
    this.keptFailed = false;
    return failed;
  }

  /** A savepoint was rolled back (depth is now its parent's): what was kept or sent inside it is undone. */
  private undoKeptCopies(): void {
    if (!this.kept.length && !this.sentInside.length) return;
    this.kept = this.kept.filter((k) => k.depth <= this.depth);
    const undone = this.sentInside.filter((s) => s.sentAt > this.depth);
    this.sentInside = this.sentInside.filter((s) => s.sentAt <= this.depth);
    for (const { copy } of undone) if (copy.depth <= this.depth) this.kept.push(copy);
  }

  /** A savepoint was released (depth is now its parent's): what was kept or sent inside it now belongs to the parent. */
  private releaseKeptCopies(): void {
    for (const k of this.kept) k.depth = Math.min(k.depth, this.depth);
    for (const s of this.sentInside) s.sentAt = Math.min(s.sentAt, this.depth);
    this.sentInside = this.sentInside.filter((s) => s.sentAt > s.copy.depth);
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
      this.undoKeptCopies();
      if (!savepoint) this.bridge.end('ROLLBACK');
      else if (!this.bridge.retract(savepoint)) this.bridge.defer(`ROLLBACK TO ${savepoint}`);
      throw err;
    }
    this.depth--;
    this.releaseKeptCopies();
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
