/**
 * The audit log's table: append and read only. The schema's triggers refuse updates and the deletion
 * of recent rows, so nothing in the process (or a stray SQL statement) can rewrite history; `prune`
 * removes rows past their retention in small batches so a large log never holds the writer long.
 */
import type { Db } from './database.js';
import { statementCache, type Prepare } from './statements.js';
import type { AuditEntry, AuditOutcome, AuditQuery } from '../../shared/contract.js';

export type NewAuditEntry = Omit<AuditEntry, 'id'>;

interface AuditRow {
  id: number;
  ts: number;
  actor: string;
  remote: string | null;
  channel: string;
  args: string | null;
  outcome: AuditOutcome;
  reason: string | null;
}

const toEntry = (r: AuditRow): AuditEntry => ({
  id: r.id,
  ts: r.ts,
  actor: r.actor,
  remote: r.remote,
  channel: r.channel,
  args: r.args === null ? null : (JSON.parse(r.args) as unknown),
  outcome: r.outcome,
  reason: r.reason,
});

export class AuditStore {
  private readonly sql: Prepare;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  append(entry: NewAuditEntry): void {
    this.sql('INSERT INTO audit (ts, actor, remote, channel, args, outcome, reason) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      entry.ts,
      entry.actor,
      entry.remote,
      entry.channel,
      entry.args === undefined || entry.args === null ? null : JSON.stringify(entry.args),
      entry.outcome,
      entry.reason,
    );
  }

  /** Newest first. */
  list(q: AuditQuery = {}): AuditEntry[] {
    const where: string[] = [];
    const params: unknown[] = [];
    const filters: Array<[unknown, string]> = [
      [q.actor, 'actor = ?'],
      [q.channel, 'channel = ?'],
      [q.outcome, 'outcome = ?'],
      [q.since, 'ts >= ?'],
      [q.before, 'ts < ?'],
    ];
    for (const [value, clause] of filters) {
      if (value === undefined) continue;
      where.push(clause);
      params.push(value);
    }
    const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ts DESC, id DESC LIMIT ?`;
    return (this.sql(sql).all(...params, Math.min(q.limit ?? 200, 10_000)) as AuditRow[]).map(toEntry);
  }

  /** Delete at most `batch` rows older than `before`; returns how many went (0: nothing left to prune). */
  pruneBatch(before: number, batch: number): number {
    return this.sql('DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE ts < ? ORDER BY ts LIMIT ?)').run(
      before,
      batch,
    ).changes;
  }
}
