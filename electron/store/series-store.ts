/** The series registry: one row per (source, symbol, timeframe). */
import type { Db } from './database.js';
import { statementCache, type Prepare } from './statements.js';
import type { CandleStore } from './candle-store.js';
import type { Series, SeriesKey, SeriesSummary } from '../../shared/domain.js';
import type { Timeframe } from '../../shared/timeframe.js';

interface SeriesRow {
  id: number;
  source: string;
  symbol: string;
  timeframe: string;
  start_ts: number;
  enabled: number;
  created_at: number;
}

function toSeries(row: SeriesRow): Series {
  return {
    id: row.id,
    source: row.source,
    symbol: row.symbol,
    timeframe: row.timeframe as Timeframe,
    startTs: row.start_ts,
    enabled: row.enabled === 1,
    createdAt: row.created_at,
  };
}

export class SeriesStore {
  private readonly sql: Prepare;

  constructor(
    db: Db,
    /** For candle counts, which it caches. */
    private readonly candles: CandleStore,
  ) {
    this.sql = statementCache(db);
  }

  find(key: SeriesKey): Series | null {
    const row = this.sql('SELECT * FROM series WHERE source = ? AND symbol = ? AND timeframe = ?').get(
      key.source,
      key.symbol,
      key.timeframe,
    ) as SeriesRow | undefined;
    return row ? toSeries(row) : null;
  }

  get(id: number): Series | null {
    const row = this.sql('SELECT * FROM series WHERE id = ?').get(id) as SeriesRow | undefined;
    return row ? toSeries(row) : null;
  }

  /** The series for `key`, created with `startTs` if it does not exist (an earlier start widens it). */
  ensure(key: SeriesKey, startTs: number, now: number): Series {
    this.sql(
      `INSERT INTO series (source, symbol, timeframe, start_ts, enabled, created_at) VALUES (?, ?, ?, ?, 1, ?)
         ON CONFLICT (source, symbol, timeframe) DO UPDATE
           SET start_ts = CASE WHEN excluded.start_ts < series.start_ts THEN excluded.start_ts ELSE series.start_ts END`,
    ).run(key.source, key.symbol, key.timeframe, startTs, now);
    return this.find(key)!;
  }

  setEnabled(id: number, enabled: boolean): void {
    this.sql('UPDATE series SET enabled = ? WHERE id = ?').run(enabled ? 1 : 0, id);
  }

  /** Delete a series and everything stored for it; returns how many candles went. */
  remove(id: number): number {
    const candles = this.sql('DELETE FROM candles WHERE series_id = ?').run(id).changes;
    this.candles.forgetTotal(id);
    this.sql('DELETE FROM series WHERE id = ?').run(id);
    return candles;
  }

  list(): Series[] {
    return (this.sql('SELECT * FROM series ORDER BY source, symbol, timeframe').all() as SeriesRow[]).map(toSeries);
  }

  /** Every series with its candle count (from `count`, cached by the candle store), first/last stored candle and open holes. */
  summaries(): SeriesSummary[] {
    const rows = this.sql(
      `SELECT s.*,
           (SELECT MIN(ts) FROM candles c WHERE c.series_id = s.id) AS first_ts,
           (SELECT MAX(ts) FROM candles c WHERE c.series_id = s.id) AS last_ts,
           (SELECT COUNT(*) FROM holes h WHERE h.series_id = s.id AND h.state = 'open' AND h.cause <> 'not_fetched') AS open_holes
         FROM series s ORDER BY s.source, s.symbol, s.timeframe`,
    ).all() as Array<SeriesRow & { first_ts: number | null; last_ts: number | null; open_holes: number }>;
    return rows.map((r) => ({
      ...toSeries(r),
      candleCount: this.candles.total(r.id),
      firstTs: r.first_ts,
      lastTs: r.last_ts,
      openHoles: r.open_holes,
    }));
  }
}
