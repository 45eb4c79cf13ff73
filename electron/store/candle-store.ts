/**
 * Candle reads and writes. Writes are batched: one transaction per page, multi-row INSERTs, and an
 * upsert that only rewrites a row whose values changed (so re-fetching stored history writes nothing).
 */
import type { Db } from './database.js';
import { statementCache, type Prepare } from './statements.js';
import { dialectOf, type SqlDialect } from './sql-db.js';
import { UNIQUE_VIOLATION, type PgDb } from './postgres/pg-db.js';
import { CANDLE_COPY_BINARY, candleCopyBinary } from './postgres/pg-copy-binary.js';
import type { Candle, CandleBucket } from '../../shared/domain.js';
import type { PackedCandles } from '../sources/packed-candles.js';

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
    WHERE candles.open IS DISTINCT FROM excluded.open OR candles.high IS DISTINCT FROM excluded.high
       OR candles.low IS DISTINCT FROM excluded.low OR candles.close IS DISTINCT FROM excluded.close
       OR candles.volume IS DISTINCT FROM excluded.volume`;
}

/**
 * PostgreSQL takes a page as one statement of column arrays: one round trip through the bridge
 * whatever its length, where 100-row statements would cost one each.
 */
const PG_UPSERT = `INSERT INTO candles (series_id, ts, open, high, low, close, volume)
  SELECT $1::bigint, * FROM unnest($2::bigint[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[])
  ON CONFLICT (series_id, ts) DO UPDATE SET
    open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume
  WHERE candles.open IS DISTINCT FROM excluded.open OR candles.high IS DISTINCT FROM excluded.high
     OR candles.low IS DISTINCT FROM excluded.low OR candles.close IS DISTINCT FROM excluded.close
     OR candles.volume IS DISTINCT FROM excluded.volume`;

/** A cached count older than this is recounted (another process may write the same database). */
const COUNT_TTL_MS = 5 * 60_000;

export class CandleStore {
  private readonly sql: Prepare;
  private readonly params = new Array<number | null>(ROWS_PER_STATEMENT * COLUMNS);
  /**
   * Candles per series, kept up to date by `upsert` (COUNT(*) over a large series costs tens of ms,
   * and the overview, health and metrics ask for every series every few seconds).
   */
  private readonly counts = new Map<number, { n: number; at: number }>();

  private readonly dialect: SqlDialect;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
    this.dialect = dialectOf(db);
  }

  /**
   * Insert or update candles; returns how many rows were new or changed. Call inside a transaction
   * (see `writePage`) so a page is committed whole or not at all.
   */
  upsert(seriesId: number, candles: readonly Candle[]): number {
    if (!candles.length) return 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (const c of candles) ((lo = Math.min(lo, c.ts)), (hi = Math.max(hi, c.ts)));
    return this.upsertRows(seriesId, candles.length, lo, hi, (params, p, i) => {
      const c = candles[i]!;
      params[p + 1] = c.ts;
      params[p + 2] = c.open;
      params[p + 3] = c.high;
      params[p + 4] = c.low;
      params[p + 5] = c.close;
      params[p + 6] = c.volume;
    });
  }

  /** `upsert` for packed rows (bulk history), read straight from their buffer. */
  upsertPacked(seriesId: number, rows: PackedCandles): number {
    if (!rows.length) return 0;
    const d = rows.data;
    return this.upsertRows(seriesId, rows.length, rows.ts(0), rows.ts(rows.length - 1), (params, p, i) => {
      const o = rows.offset(i);
      params[p + 1] = d[o]!;
      params[p + 2] = d[o + 1]!;
      params[p + 3] = d[o + 2]!;
      params[p + 4] = d[o + 3]!;
      params[p + 5] = d[o + 4]!;
      params[p + 6] = d[o + 5]!;
    });
  }

  /**
   * The multi-row upsert of `count` rows opening in [lo, hi]; `bind` writes row i's values after the
   * series id at `params[p]`. Keeps the cached count of the series true.
   */
  private upsertRows(
    seriesId: number,
    count: number,
    lo: number,
    hi: number,
    bind: (params: Array<number | null>, p: number, i: number) => void,
  ): number {
    const cached = this.counts.get(seriesId);
    const before = cached ? this.count(seriesId, lo, hi + 1) : 0;
    let changed = 0;
    if (this.dialect === 'postgres') {
      // Without a count at hand, try the plain insert: counting first would cost a round trip of its
      // own on every page, and a range that turns out stored costs one failed statement.
      const written = this.upsertColumns(seriesId, count, bind, cached ? before === 0 : true);
      // A COPY that went through added every row: no need to count again.
      if (written.copied) {
        if (cached) cached.n += written.changed;
        return written.changed;
      }
      changed = written.changed;
    } else
      for (let start = 0; start < count; start += ROWS_PER_STATEMENT) {
        const rows = Math.min(ROWS_PER_STATEMENT, count - start);
        const params = rows === ROWS_PER_STATEMENT ? this.params : new Array<number | null>(rows * COLUMNS);
        for (let i = 0; i < rows; i++) {
          const p = i * COLUMNS;
          params[p] = seriesId;
          bind(params, p, start + i);
        }
        const stmt = this.sql(upsertSql(rows));
        changed += stmt.run(params).changes;
      }
    if (cached) cached.n += this.count(seriesId, lo, hi + 1) - before;
    return changed;
  }

  /**
   * The PostgreSQL write of `count` rows: where `fresh`, a binary COPY (PostgreSQL's fastest way in),
   * else one upsert of column arrays (PG_UPSERT). Numbers print exactly as PostgreSQL reads them back.
   */
  private upsertColumns(
    seriesId: number,
    count: number,
    bind: (params: Array<number | null>, p: number, i: number) => void,
    fresh: boolean,
  ): { changed: number; copied: boolean } {
    const pg = this.db as PgDb;
    const inputs = fresh ? candleCopyBinary(seriesId, count, bind) : null;
    if (inputs && pg.keepsCopies) {
      // Sent with the commit; a duplicate key found then runs the transaction again, through the catch below.
      pg.keepCopy(CANDLE_COPY_BINARY, inputs);
      return { changed: count, copied: true };
    }
    if (inputs) {
      // A row already stored (by another process meanwhile, or before) costs only this statement,
      // done again as an upsert: a failed COPY leaves the transaction usable (PgDb.copyIn).
      try {
        return { changed: pg.copyIn(CANDLE_COPY_BINARY, inputs), copied: true };
      } catch (err) {
        if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
      }
    }
    const columns = Array.from({ length: COLUMNS - 1 }, () => new Array<number | null>(count));
    const row = new Array<number | null>(COLUMNS);
    for (let i = 0; i < count; i++) {
      bind(row, 0, i);
      for (let c = 0; c < COLUMNS - 1; c++) columns[c]![i] = row[c + 1] ?? null;
    }
    // Array literals written here: one join per column is far cheaper than the driver quoting each element.
    const literals = columns.map((values) => `{${values.map((v) => (v === null ? 'NULL' : String(v))).join(',')}}`);
    return { changed: this.sql(PG_UPSERT).run(seriesId, ...literals).changes, copied: false };
  }

  /** How many candles a series has (cached; see `counts`). */
  total(seriesId: number): number {
    const cached = this.counts.get(seriesId);
    if (cached && Date.now() - cached.at < COUNT_TTL_MS) return cached.n;
    const n = (this.sql('SELECT COUNT(*) AS n FROM candles WHERE series_id = ?').get(seriesId) as { n: number }).n;
    this.counts.set(seriesId, { n, at: Date.now() });
    return n;
  }

  /** Forget a cached count (rows were deleted, or found missing by a sweep). */
  forgetTotal(seriesId: number): void {
    this.counts.delete(seriesId);
  }

  /** Forget every cached count: a transaction was rolled back, and the counts had counted its rows. */
  forgetTotals(): void {
    this.counts.clear();
  }

  /** Candles with open time in [from, to), oldest first. */
  range(seriesId: number, from: number, to: number): Candle[] {
    return this.sql(
      'SELECT ts, open, high, low, close, volume FROM candles WHERE series_id = ? AND ts >= ? AND ts < ? ORDER BY ts',
    ).all(seriesId, from, to) as Candle[];
  }

  /** Iterate candles in [from, to) without holding them all in memory (exports). */
  *iterate(seriesId: number, from: number, to: number): IterableIterator<Candle> {
    yield* this.sql(
      'SELECT ts, open, high, low, close, volume FROM candles WHERE series_id = ? AND ts >= ? AND ts < ? ORDER BY ts',
    ).iterate(seriesId, from, to) as IterableIterator<Candle>;
  }

  /** Stored candles with open time in [from, to) (an index range count, no rows read into JS). */
  count(seriesId: number, from: number, to: number): number {
    return (
      this.sql('SELECT COUNT(*) AS n FROM candles WHERE series_id = ? AND ts >= ? AND ts < ?').get(
        seriesId,
        from,
        to,
      ) as { n: number }
    ).n;
  }

  stats(seriesId: number): { count: number; firstTs: number | null; lastTs: number | null } {
    return this.sql(
      'SELECT COUNT(*) AS count, MIN(ts) AS "firstTs", MAX(ts) AS "lastTs" FROM candles WHERE series_id = ?',
    ).get(seriesId) as { count: number; firstTs: number | null; lastTs: number | null };
  }

  /** The latest stored open time strictly before `ts`, or null. */
  lastBefore(seriesId: number, ts: number): number | null {
    const row = this.sql('SELECT ts FROM candles WHERE series_id = ? AND ts < ? ORDER BY ts DESC LIMIT 1').get(
      seriesId,
      ts,
    ) as { ts: number } | undefined;
    return row?.ts ?? null;
  }

  /**
   * OHLCV re-aggregated in SQL into buckets of `bucketMs` aligned to `origin`: open of the first
   * candle, close of the last, extreme high/low, summed volume. Empty buckets are simply absent.
   * One indexed range aggregate per bucket: a single GROUP BY over the range would sort every row
   * in a temporary b-tree first (several times slower over a year of 1m candles).
   */
  buckets(seriesId: number, from: number, to: number, bucketMs: number, origin: number): CandleBucket[] {
    const bucket = this.sql(
      `SELECT COUNT(*) AS count, MAX(high) AS high, MIN(low) AS low, SUM(volume) AS volume,
         (SELECT open FROM candles WHERE series_id = @s AND ts >= @a AND ts < @b ORDER BY ts LIMIT 1) AS open,
         (SELECT close FROM candles WHERE series_id = @s AND ts >= @a AND ts < @b ORDER BY ts DESC LIMIT 1) AS close
       FROM candles WHERE series_id = @s AND ts >= @a AND ts < @b`,
    );
    const out: CandleBucket[] = [];
    for (let start = origin; start < to; start += bucketMs) {
      const b = bucket.get({ s: seriesId, a: Math.max(start, from), b: Math.min(start + bucketMs, to) }) as Omit<
        CandleBucket,
        'ts'
      >;
      if (b.count)
        out.push({
          ts: start,
          open: b.open,
          high: b.high,
          low: b.low,
          close: b.close,
          volume: b.volume,
          count: b.count,
        });
    }
    return out;
  }

  /**
   * Runs of missing open times inside [from, to) between stored candles, found in SQL over the
   * primary key (no rows brought into JS). Only for fixed-length timeframes.
   */
  interiorGaps(seriesId: number, stepMs: number, from: number, to: number): Array<{ from: number; to: number }> {
    return this.sql(
      `SELECT ts + @step AS "from", next_ts AS "to" FROM (
           SELECT ts, LEAD(ts) OVER (ORDER BY ts) AS next_ts
           FROM candles WHERE series_id = @seriesId AND ts >= @from AND ts < @to) AS runs
         WHERE next_ts - ts > @step`,
    ).all({ seriesId, step: stepMs, from, to }) as Array<{ from: number; to: number }>;
  }

  firstAtOrAfter(seriesId: number, ts: number, before: number): number | null {
    const row = this.sql('SELECT ts FROM candles WHERE series_id = ? AND ts >= ? AND ts < ? ORDER BY ts LIMIT 1').get(
      seriesId,
      ts,
      before,
    ) as { ts: number } | undefined;
    return row?.ts ?? null;
  }

  lastBeforeIn(seriesId: number, from: number, to: number): number | null {
    const row = this.sql(
      'SELECT ts FROM candles WHERE series_id = ? AND ts >= ? AND ts < ? ORDER BY ts DESC LIMIT 1',
    ).get(seriesId, from, to) as { ts: number } | undefined;
    return row?.ts ?? null;
  }
}
