/**
 * The change log of configuration: one row per change to series, settings, tokens or keys, written
 * in the same transaction as the change (triggers for the tables; `record` for keys, which live
 * outside the database). Running engines poll it to reload what another process changed.
 */
import type { Db } from './database.js';
import { statementCache, type Prepare } from './statements.js';

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

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  /** The newest change's id (0 before any): ids only grow, pruned rows included. */
  latest(): number {
    const row = this.sql("SELECT seq FROM sqlite_sequence WHERE name = 'config_changes'").get() as
      { seq: number } | undefined;
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
    return this.db.pragma('data_version', { simple: true }) as number;
  }
}
