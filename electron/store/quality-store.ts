/**
 * Quality flags (annotations, never deletions) and the progress of the checks that write them. Each
 * check run is a `subject` (e.g. `anomalies:12`, `timeframes:3:7`, `sources:BTC`) that scans forward
 * from its mark, replacing its own flags from there on, so scanning again is idempotent and a long
 * history is read once. A revision of a candle resets every subject that reads its series.
 */
import type { Db } from './database.js';
import { statementCache, type Prepare } from './statements.js';
import type { QualityFlag, QualityFlagKind } from '../../shared/quality.js';

interface FlagRow {
  series_id: number;
  kind: QualityFlagKind;
  ts: number;
  to_ts: number;
  message: string;
  data: string | null;
}

const toFlag = (r: FlagRow): QualityFlag => ({
  kind: r.kind,
  seriesId: r.series_id,
  ts: r.ts,
  toTs: r.to_ts,
  message: r.message,
  data: r.data ? (JSON.parse(r.data) as Record<string, unknown>) : {},
});

/** What a subject's scan has covered: flags and tallies are final before `scannedTo`. */
export interface ScanMark {
  scannedTo: number;
  /** The series it read, as ',1,2,'. */
  seriesIds: string;
  /** What else its flags depend on (e.g. a tolerance); a scan with other params starts over. */
  params: string;
}

export class QualityStore {
  private readonly sql: Prepare;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  mark(subject: string): ScanMark | null {
    const row = this.sql('SELECT scanned_to, series_ids, params FROM quality_scans WHERE subject = ?').get(subject) as
      { scanned_to: number; series_ids: string; params: string } | undefined;
    return row ? { scannedTo: row.scanned_to, seriesIds: row.series_ids, params: row.params } : null;
  }

  setMark(subject: string, seriesIds: readonly number[], scannedTo: number, now: number, params = ''): void {
    this.sql(
      `INSERT INTO quality_scans (subject, series_ids, params, scanned_to, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (subject) DO UPDATE SET series_ids = excluded.series_ids, params = excluded.params, scanned_to = excluded.scanned_to, updated_at = excluded.updated_at`,
    ).run(subject, `,${seriesIds.join(',')},`, params, scannedTo, now);
  }

  /** Earliest start of a flag of `kind` of the subject reaching past `from` (a run that a rescan from `from` cuts). */
  earliestReaching(subject: string, kind: QualityFlagKind, from: number): number | null {
    const row = this.sql('SELECT MIN(ts) AS ts FROM quality_flags WHERE subject = ? AND kind = ? AND to_ts > ?').get(
      subject,
      kind,
      from,
    ) as { ts: number | null };
    return row.ts;
  }

  /** Drop the subject's flags that reach past `from` (they are about to be found again). */
  clearFrom(subject: string, from: number): void {
    this.sql('DELETE FROM quality_flags WHERE subject = ? AND to_ts > ?').run(subject, from);
  }

  add(subject: string, flags: readonly QualityFlag[], now: number): void {
    const insert = this.sql(
      'INSERT INTO quality_flags (subject, series_id, kind, ts, to_ts, message, data, found_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const f of flags)
      insert.run(subject, f.seriesId, f.kind, f.ts, f.toTs, f.message, JSON.stringify(f.data), now);
  }

  /** Add to a subject's per-series tally of comparisons (and the largest deviation seen). */
  tally(subject: string, seriesId: number, compared: number, maxDeviation: number | null): void {
    this.sql(
      `INSERT INTO quality_tallies (subject, series_id, compared, max_deviation) VALUES (?, ?, ?, ?)
       ON CONFLICT (subject, series_id) DO UPDATE SET compared = quality_tallies.compared + excluded.compared,
         max_deviation = CASE WHEN excluded.max_deviation IS NULL THEN quality_tallies.max_deviation
                              WHEN quality_tallies.max_deviation IS NULL OR excluded.max_deviation > quality_tallies.max_deviation THEN excluded.max_deviation
                              ELSE quality_tallies.max_deviation END`,
    ).run(subject, seriesId, compared, maxDeviation);
  }

  tallyOf(subject: string, seriesId: number): { compared: number; maxDeviation: number | null } {
    const row = this.sql('SELECT compared, max_deviation FROM quality_tallies WHERE subject = ? AND series_id = ?').get(
      subject,
      seriesId,
    ) as { compared: number; max_deviation: number | null } | undefined;
    return { compared: row?.compared ?? 0, maxDeviation: row?.max_deviation ?? null };
  }

  /** Forget a subject entirely (its scan starts over). */
  reset(subject: string): void {
    this.db.transaction(() => {
      this.sql('DELETE FROM quality_flags WHERE subject = ?').run(subject);
      this.sql('DELETE FROM quality_tallies WHERE subject = ?').run(subject);
      this.sql('DELETE FROM quality_scans WHERE subject = ?').run(subject);
    })();
  }

  /** A series' candles changed after being scanned (a revision): every subject reading it starts over. */
  invalidateSeries(seriesId: number): void {
    const subjects = this.sql('SELECT subject FROM quality_scans WHERE series_ids LIKE ?').all(
      `%,${seriesId},%`,
    ) as Array<{ subject: string }>;
    for (const { subject } of subjects) this.reset(subject);
  }

  /** Flags of a series by kind and subject, with the candles they cover (a flat run counts its candles). */
  counts(seriesId: number): Array<{ kind: QualityFlagKind; subject: string; flags: number; candles: number }> {
    return this.sql(
      `SELECT kind, subject, COUNT(*) AS flags, SUM(COALESCE(json_extract(data, '$.count'), 1)) AS candles
       FROM quality_flags WHERE series_id = ? GROUP BY kind, subject`,
    ).all(seriesId) as Array<{ kind: QualityFlagKind; subject: string; flags: number; candles: number }>;
  }

  /** Revisions of a series' candles recorded as events (a summary event counts the candles it names). */
  revisions(seriesId: number): { count: number; lastAt: number | null } {
    return this.sql(
      `SELECT COALESCE(SUM(COALESCE(json_extract(data, '$.count'), 1)), 0) AS count, MAX(at) AS "lastAt"
       FROM events WHERE kind = 'revision' AND series_id = ?`,
    ).get(seriesId) as { count: number; lastAt: number | null };
  }

  list(seriesId: number, options: { kind?: QualityFlagKind; limit?: number } = {}): QualityFlag[] {
    const rows = options.kind
      ? this.sql('SELECT * FROM quality_flags WHERE series_id = ? AND kind = ? ORDER BY ts DESC, id DESC LIMIT ?').all(
          seriesId,
          options.kind,
          options.limit ?? 1_000,
        )
      : this.sql('SELECT * FROM quality_flags WHERE series_id = ? ORDER BY ts DESC, id DESC LIMIT ?').all(
          seriesId,
          options.limit ?? 1_000,
        );
    return (rows as FlagRow[]).map(toFlag);
  }
}
