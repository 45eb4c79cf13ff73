/**
 * Backfill ingest into PostgreSQL (`--db postgres://…`: HTTP from the simulator → parse → the store
 * through the synchronous bridge), against the raw COPY ceiling: the server reading the same rows,
 * pre-parsed, from a CSV file into the same empty table, in the same run, the best of a few rounds
 * taken in turn. A throwaway server from electron/test-support/postgres.ts; without PostgreSQL the
 * row is skipped, saying why.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Store } from '../electron/store/store.js';
import type { PgDb } from '../electron/store/postgres/pg-db.js';
import { postgresUnavailable, startPostgres, type TestPostgres } from '../electron/test-support/postgres.js';
import { compare, type Comparison } from './report.js';

type Ingest = (target: string) => Promise<{ candles: number; seconds: number }>;

function database(server: TestPostgres, admin: PgDb, name: string): string {
  admin.exec(`CREATE DATABASE ${name}`);
  return server.url.replace(/\/postgres$/, `/${name}`);
}

/** The server copying `rows` from a CSV file into an empty candles table: the fastest way in. */
function copyCeiling(url: string, rows: number[][]): { candles: number; seconds: number } {
  // The server reads the file as its own OS user: a folder and file anyone may read.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candlekeep-copy-'));
  fs.chmodSync(dir, 0o755);
  const file = path.join(dir, 'candles.csv');
  fs.writeFileSync(file, rows.map((r) => `1,${r.map((v) => (v === null ? '' : String(v))).join(',')}`).join('\n'));
  fs.chmodSync(file, 0o644);
  const store = Store.open(url);
  try {
    store.db
      .prepare(
        "INSERT INTO series (id, source, symbol, timeframe, start_ts, created_at) VALUES (1, 'binance', 'BTCUSDT', '1m', 0, 0)",
      )
      .run();
    const started = performance.now();
    store.db.exec(`COPY candles (series_id, ts, open, high, low, close, volume) FROM '${file}' WITH (FORMAT csv)`);
    const seconds = (performance.now() - started) / 1000;
    const stored = (store.db.prepare('SELECT COUNT(*) AS n FROM candles').get() as { n: number }).n;
    if (stored !== rows.length) throw new Error(`COPY stored ${stored} of ${rows.length} rows`);
    return { candles: rows.length, seconds };
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Rounds each side runs, in turn with the other; the best of each counts (a shared machine's bursts decide nothing). */
const ROUNDS = 3;

type Run = { candles: number; seconds: number };

function faster(best: Run | null, run: Run): Run {
  return best && best.seconds <= run.seconds ? best : run;
}

export async function benchPgIngest(ingest: Ingest, rows: number[][]): Promise<Comparison[]> {
  const unavailable = postgresUnavailable();
  if (unavailable) {
    console.log(`skipping the PostgreSQL ingest row: ${unavailable}`);
    return [];
  }
  const server = await startPostgres();
  const admin = Store.open(server.url);
  try {
    const pg = admin.db as PgDb;
    await ingest(database(server, pg, 'warm'));
    let ours: Run | null = null;
    let ceiling: Run | null = null;
    for (let round = 0; round < ROUNDS; round++) {
      const run = await ingest(database(server, pg, `ours_${round}`));
      if (run.candles !== rows.length)
        throw new Error(`the PostgreSQL backfill stored ${run.candles} candles, the ceiling ${rows.length}`);
      ours = faster(ours, run);
      ceiling = faster(ceiling, copyCeiling(database(server, pg, `ceiling_${round}`), rows));
    }
    if (!ours || !ceiling) throw new Error('no rounds were run');
    const rate = (x: Run) => ({ unit: 'candles/s', value: x.candles / x.seconds });
    const [{ server_version: version }] = pg.query('SHOW server_version') as [{ server_version: string }];
    return [
      compare(
        'ingest into PostgreSQL vs raw COPY ceiling',
        rate(ours),
        { name: 'COPY of the same rows from a CSV file', ...rate(ceiling) },
        0.5,
        true,
        `${ours.candles.toLocaleString('en-US')} candles of 1m BTCUSDT, plain PostgreSQL ${version}; best of ${ROUNDS} rounds taken in turn`,
      ),
    ];
  } finally {
    admin.close();
    await server.stop();
  }
}
