/**
 * Writes of health over time: request outcomes summed into minute and hour buckets (in the request
 * log's own flush, one transaction), hourly series samples, the hole log's outcomes, breaker changes,
 * and pruning by age in small batches, so a week of backlog never holds the database for long.
 * Reads are in history-queries.ts.
 */
import type { Db } from './database.js';
import { statementCache, type Prepare } from './statements.js';
import type { RequestOutcome } from '../net/source-http.js';
import { LATENCY_BUCKETS, latencyBucket } from '../../shared/history.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** Minute buckets are kept a week, hour buckets (and series samples, the hole log, breaker changes) 90 days. */
export const MINUTE_RETENTION_MS = 7 * 24 * HOUR_MS;
export const HOUR_RETENTION_MS = 90 * 24 * HOUR_MS;
export const PRUNE_BATCH = 1000;

const L_COLUMNS = Array.from({ length: LATENCY_BUCKETS }, (_, i) => `l${i}`);

function upsertSql(table: string): string {
  const cols = ['source', 'host', 'bucket', 'outcome', 'requests', 'timed', 'latency_sum', 'weight', ...L_COLUMNS];
  const adds = ['requests', 'timed', 'latency_sum', 'weight', ...L_COLUMNS]
    .map((c) => `${c} = ${table}.${c} + excluded.${c}`)
    .join(', ');
  return `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})
    ON CONFLICT (source, bucket, host, outcome) DO UPDATE SET ${adds}`;
}

interface Sum {
  source: string;
  host: string;
  bucket: number;
  outcome: string;
  requests: number;
  timed: number;
  latencySum: number;
  weight: number;
  hist: number[];
}

/** Outcomes summed per (source, host, bucket, outcome) before they touch SQL: one upsert per key. */
function sumBy(rows: readonly RequestOutcome[], width: number): Sum[] {
  const sums = new Map<string, Sum>();
  for (const r of rows) {
    const bucket = Math.floor(r.at / width) * width;
    const key = `${r.source}\u0000${r.host}\u0000${bucket}\u0000${r.outcome}`;
    let s = sums.get(key);
    if (!s)
      sums.set(
        key,
        (s = {
          source: r.source,
          host: r.host,
          bucket,
          outcome: r.outcome,
          requests: 0,
          timed: 0,
          latencySum: 0,
          weight: 0,
          hist: new Array<number>(LATENCY_BUCKETS).fill(0),
        }),
      );
    s.requests++;
    s.weight += r.weight;
    // A request that never got an answer has no response time (the soak's figures agree).
    if (r.status !== null) {
      s.timed++;
      s.latencySum += r.durationMs;
      s.hist[latencyBucket(r.durationMs)]!++;
    }
  }
  return [...sums.values()];
}

export class HistoryStore {
  private readonly sql: Prepare;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  /** Add outcomes to the minute and hour buckets; the caller holds the transaction. */
  recordRequests(rows: readonly RequestOutcome[]): void {
    for (const [table, width] of [
      ['request_minutes', MINUTE_MS],
      ['request_hours', HOUR_MS],
    ] as const) {
      const upsert = this.sql(upsertSql(table));
      for (const s of sumBy(rows, width))
        upsert.run(s.source, s.host, s.bucket, s.outcome, s.requests, s.timed, s.latencySum, s.weight, ...s.hist);
    }
  }

  /** The hour's sample of a series: the last sample of an hour stands for it, the worst lag is kept. */
  sampleSeries(seriesId: number, at: number, completeness: number | null, lagMs: number): void {
    this.sql(
      `INSERT INTO series_hours (series_id, bucket, completeness, lag_ms) VALUES (?, ?, ?, ?)
       ON CONFLICT (series_id, bucket) DO UPDATE SET completeness = excluded.completeness, lag_ms = CASE WHEN excluded.lag_ms > series_hours.lag_ms THEN excluded.lag_ms ELSE series_hours.lag_ms END`,
    ).run(seriesId, Math.floor(at / HOUR_MS) * HOUR_MS, completeness, Math.max(0, Math.round(lagMs)));
  }

  /**
   * Close the logged holes no open hole overlaps any more: repaired where candles are stored in the
   * range, settled where none are (the source had nothing there). Returns how many closed.
   */
  closeHoles(now: number): number {
    const noOpen = `NOT EXISTS (SELECT 1 FROM holes h WHERE h.series_id = hole_log.series_id AND h.state = 'open' AND h.from_ts < hole_log.to_ts AND h.to_ts > hole_log.from_ts)`;
    const stored = `EXISTS (SELECT 1 FROM candles c WHERE c.series_id = hole_log.series_id AND c.ts >= hole_log.from_ts AND c.ts < hole_log.to_ts)`;
    return Number(
      this.sql(
        `UPDATE hole_log SET closed_at = ?, result = CASE WHEN ${stored} THEN 'repaired' ELSE 'settled' END WHERE closed_at IS NULL AND ${noOpen}`,
      ).run(now).changes,
    );
  }

  /** Note a breaker state if it differs from the last one noted for the source. */
  noteBreaker(source: string, at: number, state: string): void {
    const last = this.sql('SELECT state FROM breaker_changes WHERE source = ? ORDER BY at DESC, id DESC LIMIT 1').get(
      source,
    ) as { state: string } | undefined;
    if ((last?.state ?? 'closed') !== state)
      this.sql('INSERT INTO breaker_changes (source, at, state) VALUES (?, ?, ?)').run(source, at, state);
  }

  /**
   * Delete at most `batch` rows past their retention from each table, each table in its own short
   * statement; returns how many went (call again while it is `batch` or more).
   */
  prune(now: number, batch = PRUNE_BATCH): number {
    const cut = (table: string, column: string, before: number): number =>
      Number(
        this.sql(
          `DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE ${column} < ? ORDER BY ${column} LIMIT ?)`,
        ).run(before, batch).changes,
      );
    return (
      cut('request_minutes', 'bucket', now - MINUTE_RETENTION_MS) +
      cut('request_hours', 'bucket', now - HOUR_RETENTION_MS) +
      cut('series_hours', 'bucket', now - HOUR_RETENTION_MS) +
      cut('hole_log', 'opened_at', now - HOUR_RETENTION_MS) +
      cut('breaker_changes', 'at', now - HOUR_RETENTION_MS)
    );
  }
}
