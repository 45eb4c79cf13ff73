/**
 * Store tests on both backends: `describeBackends` runs a suite once on SQLite files and once on a
 * throwaway PostgreSQL (postgres.ts), one server per test file and a new database per `target()`.
 * Where PostgreSQL cannot be had, its suite is skipped with one line saying why.
 */
import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import { Store } from '../store/store.js';
import { PgDb } from '../store/postgres/pg-db.js';
import type { SqlDialect } from '../store/sql-db.js';
import { postgresUnavailable, startPostgres, type TestPostgres } from './postgres.js';
import { tempDbPath } from './temp-db.js';

export type Backend = SqlDialect;

let skipNoted = false;

/** Why the PostgreSQL half of the tests cannot run here (said once per file), or null. */
export function postgresSkipReason(): string | null {
  const reason = postgresUnavailable();
  if (reason && !skipNoted) {
    skipNoted = true;
    process.stdout.write(`skipping the PostgreSQL tests: ${reason}\n`);
  }
  return reason;
}

export class BackendDatabases {
  private server: TestPostgres | null = null;
  private admin: PgDb | null = null;
  private made = 0;
  private readonly cleanups: Array<() => void> = [];

  constructor(readonly backend: Backend) {}

  async start(): Promise<void> {
    if (this.backend !== 'postgres') return;
    this.server = await startPostgres();
    this.admin = new PgDb(this.server.url);
  }

  /** The server's admin URL (PostgreSQL only). */
  get serverUrl(): string {
    return this.server!.url;
  }

  /** A new empty database: an SQLite file path, or the URL of a new PostgreSQL database; dropped after the test. */
  target(): string {
    if (this.backend === 'sqlite') {
      const db = tempDbPath();
      this.cleanups.push(db.cleanup);
      return db.file;
    }
    const name = `test_${++this.made}`;
    this.admin!.exec(`CREATE DATABASE ${name}`);
    this.cleanups.push(() => this.admin?.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    return this.server!.url.replace(/\/postgres$/, `/${name}`);
  }

  /** A store on a new database, closed after the test. */
  openStore(): Store {
    const store = Store.open(this.target());
    this.cleanups.push(() => store.close());
    return store;
  }

  cleanup(): void {
    for (const fn of this.cleanups.splice(0).reverse()) fn();
  }

  async stop(): Promise<void> {
    this.cleanup();
    this.admin?.close();
    await this.server?.stop();
  }
}

/** `body` once per backend, each in its own describe named after it; databases are removed after each test. */
export function describeBackends(title: string, body: (databases: BackendDatabases) => void): void {
  for (const backend of ['sqlite', 'postgres'] as const) {
    const skip = backend === 'postgres' ? postgresSkipReason() : null;
    describe.skipIf(skip !== null)(`${title} (${backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'})`, () => {
      const databases = new BackendDatabases(backend);
      beforeAll(() => databases.start());
      afterEach(() => databases.cleanup());
      afterAll(() => databases.stop());
      body(databases);
    });
  }
}
