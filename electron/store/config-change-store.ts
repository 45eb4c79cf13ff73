/**
 * The change log of configuration: one row per change to series, settings, tokens or keys, written
 * in the same transaction as the change (triggers for the tables; `record` for keys, which live
 * outside the database). Running engines poll it to reload what another process changed.
 */
import type { Db } from './database.js';
import { statementCache, type Prepare } from './statements.js';
import { dialectOf, type SqlDialect } from './sql-db.js';

export type ConfigKind = 'series' | 'settings' | 'keys' | 'tokens';

export interface ConfigChange {
  id: number;
  at: number;
  kind: ConfigKind;
  /** The series' id for a series change; null otherwise. */
  subject: number | null;
}

export class ConfigChangeStore {
  private readonly sql: Prepare;

  private readonly dialect: SqlDialect;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
    this.dialect = dialectOf(db);
  }

  /** The newest change's id (0 before any): ids only grow, pruned rows included. */
  /** The last id ever given (ids only grow, even after pruning): SQLite's AUTOINCREMENT record, PostgreSQL's sequence. */
  latest(): number {
    const row = this.sql(
      this.dialect === 'sqlite'
        ? "SELECT seq FROM sqlite_sequence WHERE name = 'config_changes'"
        : 'SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS seq FROM config_changes_id_seq',
    ).get() as { seq: number } | undefined;
    return row?.seq ?? 0;
  }

  /** Changes after `id`, oldest first, at most `limit`. */
  since(id: number, limit = 1_000): ConfigChange[] {
    return this.sql('SELECT id, at, kind, subject FROM config_changes WHERE id > ? ORDER BY id LIMIT ?').all(
      id,
      limit,
    ) as ConfigChange[];
  }

  /** Record a change the triggers cannot see (keys). */
  record(kind: ConfigKind, subject: number | null = null): void {
    this.sql('INSERT INTO config_changes (kind, subject) VALUES (?, ?)').run(kind, subject);
  }

  /** Drop changes recorded before `before` (ms); returns how many went. */
  prune(before: number): number {
    return this.sql('DELETE FROM config_changes WHERE at < ?').run(before).changes;
  }

  /**
   * SQLite's count of commits by other connections to this file: unchanged means nothing anyone
   * else wrote, so a poll can stop here without a query.
   */
  dataVersion(): number {
    // PostgreSQL has no counter of other connections' commits; the change log's sequence is the
    // one that matters, and moves with every recorded change.
    if (this.dialect === 'postgres') return this.latest();
    return this.db.pragma('data_version', { simple: true }) as number;
  }
}
