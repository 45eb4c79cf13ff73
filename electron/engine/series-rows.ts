/**
 * The engine's copy of the series rows, by id. Workers look a series up for every window, so a row
 * is read from the database once and kept until the registry changes: each scheduler tick clears
 * them all, a change to one series forgets that one.
 */
import type { Store } from '../store/store.js';
import type { Series } from '../../shared/domain.js';

export class SeriesRows {
  private readonly rows = new Map<number, Series>();

  constructor(private readonly store: Store) {}

  /** The series; throws when it has no row. */
  get(id: number): Series {
    let series = this.rows.get(id);
    if (!series) {
      const row = this.store.series.get(id);
      if (!row) throw new Error(`no series with id ${id}`);
      this.rows.set(id, (series = row));
    }
    return series;
  }

  /** The series, or null when its row is gone (removed by another process, not yet reloaded here). */
  known(id: number): Series | null {
    try {
      return this.get(id);
    } catch {
      return null;
    }
  }

  /** The row as this engine last read it, without asking the database (null: not read since it changed). */
  cached(id: number): Series | null {
    return this.rows.get(id) ?? null;
  }

  /** The series changed: its row is read again when next asked for. */
  forget(id: number): void {
    this.rows.delete(id);
  }

  /** Every row is read again when next asked for. */
  clear(): void {
    this.rows.clear();
  }

  /**
   * Whether the series a window was fetched for is still the stored one: another process may have
   * removed it (and SQLite may have given its id to a new series) while the window was on the wire.
   */
  stillStored(series: Series): boolean {
    const row = this.store.series.get(series.id);
    return !!row && row.source === series.source && row.symbol === series.symbol && row.timeframe === series.timeframe;
  }
}
