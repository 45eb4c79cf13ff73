/**
 * Candle reads and writes. Writes are batched: one transaction per page, multi-row INSERTs, and an
 * upsert that only rewrites a row whose values changed (so re-fetching stored history writes nothing).
 */
import type { Db } from './database.js';
import { statementCache, type Prepare } from './statements.js';
import type { Candle, CandleBucket } from '../../shared/domain.js';

const ROWS_PER_STATEMENT = 100;
const COLUMNS = 7;

const upsertSqlByRows = new Map<number, string>();

function upsertSql(rows: number): string {
  const cached = upsertSqlByRows.get(rows);
  if (cached) return cached;
  const sql = buildUpsertSql(rows);
  upsertSqlByRows.set(rows, sql);
  return sql;
}

function buildUpsertSql(rows: number): string {
  const values = Array.from({ length: rows }, () => '(?,?,?,?,?,?,?)').join(',');
  return `INSERT INTO candles (series_id, ts, open, high, low, close, volume) VALUES ${values}
    ON CONFLICT (series_id, ts) DO UPDATE SET
      open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume
    WHERE candles.open IS NOT excluded.open OR candles.high IS NOT excluded.high OR candles.low IS NOT excluded.low
       OR candles.close IS NOT excluded.close OR candles.volume IS NOT excluded.volume`;
}

export class CandleStore {
  private readonly sql: Prepare;
  private readonly params = new Array<number | null>(ROWS_PER_STATEMENT * COLUMNS);

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  /**
   * Insert or update candles; returns how many rows were new or changed. Call inside a transaction
   * (see `writePage`) so a page is committed whole or not at all.
   */
  upsert(seriesId: number, candles: readonly Candle[]): number {
    let changed = 0;
    for (let start = 0; start < candles.length; start += ROWS_PER_STATEMENT) {
      const rows = Math.min(ROWS_PER_STATEMENT, candles.length - start);
      const params = rows === ROWS_PER_STATEMENT ? this.params : new Array<number | null>(rows * COLUMNS);
      for (let i = 0; i < rows; i++) {
        const c = candles[start + i]!;
        const p = i * COLUMNS;
        params[p] = seriesId;
        params[p + 1] = c.ts;
        params[p + 2] = c.open;
        params[p + 3] = c.high;
        params[p + 4] = c.low;
        params[p + 5] = c.close;
        params[p + 6] = c.volume;
      }
      const stmt = this.sql(upsertSql(rows));
      changed += stmt.run(params).changes;
    }
    return changed;
  }

  /** Candles with open time in [from, to), oldest first. */
  range(seriesId: number, from: number, to: number): Candle[] {
    return this.sql('SELECT ts, open, high, low, close, volume FROM candles WHERE series_id = ? AND ts >= ? AND ts < ? ORDER BY ts')
      .all(seriesId, from, to) as Candle[];
  }

  /** Iterate candles in [from, to) without holding them all in memory (exports). */
  *iterate(seriesId: number, from: number, to: number): IterableIterator<Candle> {
    yield* this.sql('SELECT ts, open, high, low, close, volume FROM candles WHERE series_id = ? AND ts >= ? AND ts < ? ORDER BY ts')
      .iterate(seriesId, from, to) as IterableIterator<Candle>;
  }

  /** Stored candles with open time in [from, to) (an index range count, no rows read into JS). */
  count(seriesId: number, from: number, to: number): number {
    return (this.sql('SELECT COUNT(*) AS n FROM candles WHERE series_id = ? AND ts >= ? AND ts < ?').get(seriesId, from, to) as { n: number }).n;
  }

  stats(seriesId: number): { count: number; firstTs: number | null; lastTs: number | null } {
    return this.sql('SELECT COUNT(*) AS count, MIN(ts) AS firstTs, MAX(ts) AS lastTs FROM candles WHERE series_id = ?')
      .get(seriesId) as { count: number; firstTs: number | null; lastTs: number | null };
  }

  /** The latest stored open time strictly before `ts`, or null. */
  lastBefore(seriesId: number, ts: number): number | null {
    const row = this.sql('SELECT ts FROM candles WHERE series_id = ? AND ts < ? ORDER BY ts DESC LIMIT 1')
      .get(seriesId, ts) as { ts: number } | undefined;
    return row?.ts ?? null;
  }

  /**
   * OHLCV re-aggregated in SQL into buckets of `bucketMs` aligned to `origin`: open of the first
   * candle, close of the last, extreme high/low, summed volume. Empty buckets are simply absent.
   * (better-sqlite3 binds JS numbers as REAL: the casts keep the bucket index an integer division.)
   */
  buckets(seriesId: number, from: number, to: number, bucketMs: number, origin: number): CandleBucket[] {
    return this.sql(
        `WITH b AS (
           SELECT (ts - CAST(@origin AS INTEGER)) / CAST(@bucketMs AS INTEGER) AS k, MIN(ts) AS first_ts, MAX(ts) AS last_ts,
                  MAX(high) AS high, MIN(low) AS low, SUM(volume) AS volume, COUNT(*) AS count
           FROM candles WHERE series_id = @seriesId AND ts >= @from AND ts < @to
           GROUP BY k)
         SELECT CAST(@origin AS INTEGER) + b.k * CAST(@bucketMs AS INTEGER) AS ts, o.open AS open, b.high, b.low, c.close AS close, b.volume, b.count
         FROM b
         JOIN candles o ON o.series_id = @seriesId AND o.ts = b.first_ts
         JOIN candles c ON c.series_id = @seriesId AND c.ts = b.last_ts
         ORDER BY b.k`,
      )
      .all({ seriesId, from, to, bucketMs, origin }) as CandleBucket[];
  }

  /**
   * Runs of missing open times inside [from, to) between stored candles, found in SQL over the
   * primary key (no rows brought into JS). Only for fixed-length timeframes.
   */
  interiorGaps(seriesId: number, stepMs: number, from: number, to: number): Array<{ from: number; to: number }> {
    return this.sql(
        `SELECT ts + @step AS "from", next_ts AS "to" FROM (
           SELECT ts, LEAD(ts) OVER (ORDER BY ts) AS next_ts
           FROM candles WHERE series_id = @seriesId AND ts >= @from AND ts < @to)
         WHERE next_ts - ts > @step`,
      )
      .all({ seriesId, step: stepMs, from, to }) as Array<{ from: number; to: number }>;
  }

  firstAtOrAfter(seriesId: number, ts: number, before: number): number | null {
    const row = this.sql('SELECT ts FROM candles WHERE series_id = ? AND ts >= ? AND ts < ? ORDER BY ts LIMIT 1')
      .get(seriesId, ts, before) as { ts: number } | undefined;
    return row?.ts ?? null;
  }

  lastBeforeIn(seriesId: number, from: number, to: number): number | null {
    const row = this.sql('SELECT ts FROM candles WHERE series_id = ? AND ts >= ? AND ts < ? ORDER BY ts DESC LIMIT 1')
      .get(seriesId, from, to) as { ts: number } | undefined;
    return row?.ts ?? null;
  }
}
