/**
 * The quarantine: candles that failed validation, with the source's raw form and the reason, never
 * silently dropped. The same bad candle fetched again (a repair, a second look) is one row seen
 * several times, so counts are of distinct bad candles. A candle sent before it closed changes as it
 * forms: it is one candle whatever its values, and its row keeps the latest raw form.
 */
import type { Db } from './database.js';
import { statementCache, type Prepare } from './statements.js';
import type { RejectReason, RejectedCount, RejectedExample } from '../../shared/quality.js';

/** One quarantined candle as stored. */
export interface RejectedCandle {
  id: number;
  seriesId: number;
  /** Open time as the source sent it (null when it was not a finite number). */
  ts: number | null;
  reason: RejectReason;
  detail: string | null;
  /** The source's row as JSON. */
  raw: string;
  seenAt: number;
  lastSeenAt: number;
  timesSeen: number;
}

interface RejectedRow {
  id: number;
  series_id: number;
  ts: number | null;
  raw: string;
  reason: RejectReason;
  detail: string | null;
  seen_at: number;
  last_seen_at: number | null;
  times_seen: number;
}

const toRejected = (r: RejectedRow): RejectedCandle => ({
  id: r.id,
  seriesId: r.series_id,
  ts: r.ts,
  reason: r.reason,
  detail: r.detail,
  raw: r.raw,
  seenAt: r.seen_at,
  lastSeenAt: r.last_seen_at ?? r.seen_at,
  timesSeen: r.times_seen,
});

export class RejectedStore {
  private readonly sql: Prepare;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  /** Quarantine a window's rejected candles (call inside the window's transaction). */
  record(seriesId: number, rejections: readonly Rejection[], now: number): void {
    const find = this.sql(
      'SELECT id FROM rejected WHERE series_id = ? AND ts IS NOT DISTINCT FROM ? AND reason = ? AND raw = ?',
    );
    const findUnclosed = this.sql(
      'SELECT id FROM rejected WHERE series_id = ? AND ts IS NOT DISTINCT FROM ? AND reason = ?',
    );
    const seen = this.sql(
      'UPDATE rejected SET last_seen_at = ?, times_seen = times_seen + 1, detail = ?, raw = ? WHERE id = ?',
    );
    const insert = this.sql(
      'INSERT INTO rejected (series_id, ts, raw, reason, detail, seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const r of rejections) {
      const ts = Number.isFinite(r.ts) ? r.ts : null;
      const raw = rawText(r.raw);
      const unclosed = r.reason === 'forming' || r.reason === 'future';
      const row = (unclosed ? findUnclosed.get(seriesId, ts, r.reason) : find.get(seriesId, ts, r.reason, raw)) as
        { id: number } | undefined;
      if (row) seen.run(now, r.detail, raw, row.id);
      else insert.run(seriesId, ts, raw, r.reason, r.detail, now, now);
    }
  }

  list(seriesId: number, limit = 1_000): RejectedCandle[] {
    return (
      this.sql('SELECT * FROM rejected WHERE series_id = ? ORDER BY ts, id LIMIT ?').all(
        seriesId,
        limit,
      ) as RejectedRow[]
    ).map(toRejected);
  }

  /** Distinct rejected candles of a series by reason. */
  countsByReason(seriesId: number): Array<Omit<RejectedCount, 'examples'>> {
    return this.sql(
      'SELECT reason, COUNT(*) AS candles, MAX(COALESCE(last_seen_at, seen_at)) AS "lastSeenAt" FROM rejected WHERE series_id = ? GROUP BY reason ORDER BY reason',
    ).all(seriesId) as Array<Omit<RejectedCount, 'examples'>>;
  }

  /** The most recently seen rejected candles of one reason, raw (the report shows what was refused). */
  examples(seriesId: number, reason: RejectReason, limit: number): RejectedExample[] {
    return (
      this.sql(
        'SELECT * FROM rejected WHERE series_id = ? AND reason = ? ORDER BY COALESCE(last_seen_at, seen_at) DESC, id DESC LIMIT ?',
      ).all(seriesId, reason, limit) as RejectedRow[]
    ).map((r) => ({
      ts: r.ts,
      raw: r.raw,
      detail: r.detail,
      lastSeenAt: r.last_seen_at ?? r.seen_at,
      timesSeen: r.times_seen,
    }));
  }
}

/** A candle that failed validation, as it goes to the `rejected` table. */
export interface Rejection {
  /** The open time as parsed (may be off the grid, or not finite). */
  ts: number;
  reason: RejectReason;
  /** One line naming the values that broke the rule. */
  detail: string;
  /** The source's own form of the row (its wire row where the source keeps it, else our candle). */
  raw: unknown;
}

/** The raw form as stored: JSON, with non-finite numbers kept visible ("NaN") instead of JSON's null. */
export function rawText(raw: unknown): string {
  return (
    JSON.stringify(raw, (_key, value: unknown) =>
      typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
    ) ?? String(raw)
  );
}
