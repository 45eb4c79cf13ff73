/**
 * Copying an SQLite database into PostgreSQL (`candlekeep migrate`), resumably: every table is
 * copied in key order, in chunks, each chunk one PostgreSQL transaction; a run that stops (a crash,
 * Ctrl-C, a lost connection) leaves whole chunks behind, and the next run goes on from the last key
 * copied. Rows keep their ids, so the ledger, events and audit keep pointing at the same series.
 * Triggers are off while a chunk is written (the rows they would add, such as the change log and the
 * hole log, are copied as they are) and back on before it commits. At the end the identity
 * sequences are moved past the copied ids and the row counts of both sides are compared.
 */
import type { Store } from '../store.js';
import type { PgDb } from './pg-db.js';

/** Tables in the order their foreign keys need; `key` orders (and resumes) the copy. */
export const COPIED_TABLES: ReadonlyArray<{ table: string; key: readonly string[] }> = [
  { table: 'series', key: ['id'] },
  { table: 'settings', key: ['key'] },
  { table: 'tokens', key: ['name'] },
  { table: 'assets', key: ['name'] },
  { table: 'asset_listings', key: ['source', 'symbol'] },
  { table: 'revision_checks', key: ['series_id'] },
  { table: 'holes', key: ['id'] },
  { table: 'rejected', key: ['id'] },
  { table: 'quality_flags', key: ['id'] },
  { table: 'quality_scans', key: ['subject'] },
  { table: 'quality_tallies', key: ['subject', 'series_id'] },
  { table: 'events', key: ['id'] },
  { table: 'requests', key: ['id'] },
  { table: 'request_minutes', key: ['id'] },
  { table: 'request_hours', key: ['id'] },
  { table: 'series_hours', key: ['id'] },
  { table: 'hole_log', key: ['id'] },
  { table: 'breaker_changes', key: ['id'] },
  { table: 'audit', key: ['id'] },
  { table: 'config_changes', key: ['id'] },
  { table: 'candles', key: ['series_id', 'ts'] },
];

export interface CopyOptions {
  /** Rows per chunk (one transaction each). */
  chunkRows?: number;
  /** Called after each committed chunk. */
  onChunk?: (table: string, rows: number) => void;
}

export interface TableCount {
  table: string;
  source: number;
  target: number;
}

const PG_ARRAY_TYPE: Record<string, string> = {
  bigint: 'bigint[]',
  integer: 'integer[]',
  'double precision': 'float8[]',
  text: 'text[]',
};

function targetColumns(pg: PgDb, table: string): Map<string, string> {
  const rows = pg.query(
    `SELECT column_name AS name, data_type AS type FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = $1`,
    [table],
  ) as Array<{ name: string; type: string }>;
  return new Map(rows.map((r) => [r.name, r.type]));
}

/** The last key copied, read back from PostgreSQL (the resume point), or null when the table is empty there. */
function lastCopied(pg: PgDb, table: string, key: readonly string[]): unknown[] | null {
  const order = key.map((k) => `${k} DESC`).join(', ');
  const [row] = pg.query(`SELECT ${key.join(', ')} FROM ${table} ORDER BY ${order} LIMIT 1`) as Array<
    Record<string, unknown>
  >;
  return row ? key.map((k) => row[k]) : null;
}

function copyTable(source: Store, pg: PgDb, table: string, key: readonly string[], options: CopyOptions): number {
  const sourceColumns = (source.db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map(
    (c) => c.name,
  );
  const types = targetColumns(pg, table);
  const columns = sourceColumns.filter((c) => types.has(c));
  const arrays = columns.map((c, i) => `$${i + 1}::${PG_ARRAY_TYPE[types.get(c)!] ?? 'text[]'}`);
  const insert = `INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${arrays.join(', ')}) ON CONFLICT DO NOTHING`;
  const after = key.length === 1 ? `${key[0]} > ?` : `(${key.join(', ')}) > (${key.map(() => '?').join(', ')})`;
  const select = (resume: boolean): string =>
    `SELECT ${columns.join(', ')} FROM ${table} ${resume ? `WHERE ${after}` : ''} ORDER BY ${key.join(', ')} LIMIT ?`;
  const hasTriggers = ['series', 'settings', 'tokens', 'holes'].includes(table);
  const chunkRows = options.chunkRows ?? 20_000;
  let copied = 0;
  // Numeric keys order alike on both sides, so the copy resumes after the last one; text keys may
  // sort otherwise under the server's collation, and their (small) tables are copied again whole.
  const numeric = key.every((k) => k === 'id' || k === 'series_id' || k === 'ts');
  let last = numeric ? lastCopied(pg, table, key) : null;
  for (;;) {
    const rows = (
      last
        ? source.db
            .prepare(select(true))
            .raw()
            .all(...last, chunkRows)
        : source.db.prepare(select(false)).raw().all(chunkRows)
    ) as unknown[][];
    if (!rows.length) return copied;
    const values = columns.map((_, i) => rows.map((r) => r[i]));
    copied += pg.transaction(() => {
      if (hasTriggers) pg.exec(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
      const added = pg.change(insert, values);
      if (hasTriggers) pg.exec(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
      return added;
    })();
    const end = rows[rows.length - 1]!;
    last = key.map((k) => end[columns.indexOf(k)]);
    options.onChunk?.(table, rows.length);
    if (rows.length < chunkRows) return copied;
  }
}

/** Move each identity past the ids copied (the change log's past its SQLite AUTOINCREMENT record). */
function advanceSequences(source: Store, pg: PgDb): void {
  for (const { table, key } of COPIED_TABLES) {
    if (key[0] !== 'id') continue;
    let floor = 0;
    if (table === 'config_changes') {
      const row = source.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'config_changes'").get() as
        { seq: number } | undefined;
      floor = row?.seq ?? 0;
    }
    pg.query(
      `SELECT setval(pg_get_serial_sequence($1, 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM ${table}), $2::bigint, 1), GREATEST((SELECT COUNT(*) FROM ${table}), $2::bigint) > 0)`,
      [table, floor],
    );
  }
}

/**
 * Series in PostgreSQL that are not the SQLite file's (another id, or another key at an id): a sign
 * the target holds other data, which a copy must not mix into.
 */
export function foreignSeries(source: Store, pg: PgDb): string[] {
  const ours = new Map(
    (source.db.prepare('SELECT id, source, symbol, timeframe FROM series').all() as Array<Record<string, unknown>>).map(
      (r) => [r.id as number, `${String(r.source)} ${String(r.symbol)} ${String(r.timeframe)}`],
    ),
  );
  return (pg.query('SELECT id, source, symbol, timeframe FROM series ORDER BY id') as Array<Record<string, unknown>>)
    .map((r) => ({ id: r.id as number, name: `${String(r.source)} ${String(r.symbol)} ${String(r.timeframe)}` }))
    .filter((r) => ours.get(r.id) !== r.name)
    .map((r) => r.name);
}

/** Copy everything not copied yet; returns the rows copied by this run per table. */
export function copyToPostgres(source: Store, pg: PgDb, options: CopyOptions = {}): Map<string, number> {
  const copied = new Map<string, number>();
  for (const { table, key } of COPIED_TABLES) copied.set(table, copyTable(source, pg, table, key, options));
  advanceSequences(source, pg);
  return copied;
}

/** Rows per table on both sides, plus candles per series. */
export function compareCounts(source: Store, pg: PgDb): TableCount[] {
  const counts: TableCount[] = COPIED_TABLES.map(({ table }) => ({
    table,
    source: (source.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n,
    target: (pg.query(`SELECT COUNT(*) AS n FROM ${table}`) as Array<{ n: number }>)[0]!.n,
  }));
  const perSeries = (rows: unknown[]): Map<number, number> =>
    new Map((rows as Array<{ id: number; n: number }>).map((r) => [r.id, r.n]));
  const sql = 'SELECT series_id AS id, COUNT(*) AS n FROM candles GROUP BY series_id';
  const there = perSeries(pg.query(sql));
  for (const [id, n] of perSeries(source.db.prepare(sql).all()))
    counts.push({ table: `candles of series ${id}`, source: n, target: there.get(id) ?? 0 });
  return counts;
}
