/**
 * The rolling request log per source (outcome, latency, weight), from which source health is
 * computed over time windows. Written in small batches; rows older than the retention are pruned.
 */
import type { Db } from './database.js';
import { statementCache, type Prepare } from './statements.js';
import type { RequestOutcome } from '../net/source-http.js';
import type { HistoryStore } from './history-store.js';

export const REQUEST_RETENTION_MS = 24 * 3_600_000;

export class RequestStore {
  private readonly sql: Prepare;
  private pending: RequestOutcome[] = [];

  /** `history` is given the same outcomes in the same transaction, so the buckets never disagree with the log. */
  constructor(
    private readonly db: Db,
    private readonly history?: HistoryStore,
  ) {
    this.sql = statementCache(db);
  }

  add(outcome: RequestOutcome): void {
    this.pending.push(outcome);
    if (this.pending.length >= 50) this.flush();
  }

  /**
   * Write buffered outcomes (one transaction) and prune old rows. Age is measured on the requests' own
   * clock (the newest one's time), not the wall's: under a simulated clock the wall would prune all.
   */
  flush(): void {
    if (!this.pending.length || !this.db.open) return;
    const rows = this.pending;
    this.pending = [];
    const now = rows.reduce((latest, r) => Math.max(latest, r.at), 0);
    const ins = this.sql(
      'INSERT INTO requests (source, host, at, duration_ms, status, outcome, weight, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const r of rows) ins.run(r.source, r.host, r.at, r.durationMs, r.status, r.outcome, r.weight, r.error);
      this.sql('DELETE FROM requests WHERE at < ?').run(now - REQUEST_RETENTION_MS);
      this.history?.recordRequests(rows);
      this.history?.prune(now);
    })();
  }

  /** Outcomes of a source since `since` (oldest first), for health windows. */
  since(source: string, since: number): RequestOutcome[] {
    this.flush();
    return this.sql(
      'SELECT source, host, at, duration_ms AS "durationMs", status, outcome, weight, error FROM requests WHERE source = ? AND at >= ? ORDER BY at',
    ).all(source, since) as RequestOutcome[];
  }

  /** The latest request of a source with one of `outcomes` (null: none in the retained log). */
  latest(source: string, outcomes: string[]): RequestOutcome | null {
    this.flush();
    const row = this.sql(
      `SELECT source, host, at, duration_ms AS "durationMs", status, outcome, weight, error FROM requests WHERE source = ? AND outcome IN (${outcomes.map(() => '?').join(',')}) ORDER BY at DESC LIMIT 1`,
    ).get(source, ...outcomes) as RequestOutcome | undefined;
    return row ?? null;
  }

  sources(): string[] {
    this.flush();
    return (this.sql('SELECT DISTINCT source FROM requests').all() as Array<{ source: string }>).map((r) => r.source);
  }
}
