/**
 * How far each series' recently closed candles have been re-read for revisions (engine/revisions.ts):
 * every candle before `checked_to` has had its one second look (or was fetched long after it closed).
 * Kept in the database so a restart neither repeats nor skips a re-read.
 */
import type { Db } from './database.js';
import { statementCache, type Prepare } from './statements.js';

export class RevisionStore {
  private readonly sql: Prepare;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  checkedTo(seriesId: number): number | null {
    const row = this.sql('SELECT checked_to FROM revision_checks WHERE series_id = ?').get(seriesId) as
      { checked_to: number } | undefined;
    return row?.checked_to ?? null;
  }

  /** Start tracking a series: nothing before `checkedTo` needs a re-read. */
  start(seriesId: number, checkedTo: number): void {
    this.sql(
      'INSERT INTO revision_checks (series_id, checked_to) VALUES (?, ?) ON CONFLICT (series_id) DO NOTHING',
    ).run(seriesId, checkedTo);
  }

  /**
   * [from, to) was re-read: move the mark to `to` if it had reached `from` (windows of one re-read
   * finishing out of order leave the mark behind, so a range may be re-read twice, never skipped).
   */
  advance(seriesId: number, from: number, to: number): void {
    this.sql(
      'UPDATE revision_checks SET checked_to = ? WHERE series_id = ? AND checked_to >= ? AND checked_to < ?',
    ).run(to, seriesId, from, to);
  }

  /** Skip forward (candles before `checkedTo` were fetched long after they closed: settled already). */
  skipTo(seriesId: number, checkedTo: number): void {
    this.sql('UPDATE revision_checks SET checked_to = ? WHERE series_id = ? AND checked_to < ?').run(
      checkedTo,
      seriesId,
      checkedTo,
    );
  }
}
