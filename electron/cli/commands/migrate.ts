/**
 * `candlekeep migrate --from FILE.db --to postgres://…`: copy an SQLite database into PostgreSQL,
 * resumably (run it again after an interruption and it goes on where it stopped), then compare the
 * row counts of every table and of each series' candles; any difference is exit 1.
 */
import fs from 'node:fs';
import { parse } from '../args.js';
import { UsageError } from '../errors.js';
import { line, type CliIo } from '../io.js';
import { Store } from '../../store/store.js';
import { isServerUrl } from '../../store/postgres/pg-open.js';
import type { PgDb } from '../../store/postgres/pg-db.js';
import { compareCounts, copyToPostgres, foreignSeries } from '../../store/postgres/pg-copy.js';

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, { from: { type: 'string' }, to: { type: 'string' } });
  const from = values.from as string | undefined;
  const to = (values.to as string | undefined) || io.env.CANDLEKEEP_DATABASE_URL;
  if (!from) throw new UsageError('give the SQLite file to copy: --from FILE.db');
  if (!to) throw new UsageError('give the PostgreSQL database to copy into: --to postgres://USER@HOST/DATABASE');
  if (isServerUrl(from)) throw new UsageError('--from takes the SQLite file; the PostgreSQL URL goes in --to');
  if (!isServerUrl(to)) throw new UsageError(`--to takes a postgres:// URL, not '${to}'`);
  if (!fs.existsSync(from)) throw new UsageError(`no database at ${from}: give the SQLite file to copy with --from`);
  const source = Store.open(from);
  let target: Store | null = null;
  try {
    target = Store.open(to);
    if (source.readonly || target.readonly)
      throw new Error(
        `${source.readonly ? from : target.file} was written by a newer Candlekeep; upgrade Candlekeep first`,
      );
    const pg = target.db as PgDb;
    const foreign = foreignSeries(source, pg);
    if (foreign.length)
      throw new Error(
        `${target.file} already holds other series (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}); migrate into an empty database`,
      );
    const copied = copyToPostgres(source, pg);
    const total = [...copied.values()].reduce((a, b) => a + b, 0);
    const counts = compareCounts(source, pg);
    const differ = counts.filter((c) => c.source !== c.target);
    for (const c of differ) line(io.stderr, `${c.table}: ${c.source} rows in ${from}, ${c.target} in ${target.file}`);
    if (differ.length) {
      line(io.stderr, `counts differ in ${differ.length} table(s): run migrate again to finish the copy`);
      return 1;
    }
    const candles = counts.find((c) => c.table === 'candles')!.source;
    const series = counts.find((c) => c.table === 'series')!.source;
    line(
      io.stdout,
      `copied ${total} rows from ${from} to ${target.file}; counts verified: ${series} series, ${candles} candles, ${counts.length} tables and series alike`,
    );
    return 0;
  } finally {
    target?.close();
    source.close();
  }
}
