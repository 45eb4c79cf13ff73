/**
 * `candlekeep import --source S --symbol X [--vs CUR] --timeframe T --file F.csv [--columns ts=0,open=1,...]
 *  [--ts-unit ms|s|us] [--db FILE]`: candles from a CSV file, validated like fetched ones; a file
 * with any invalid row is refused whole, its rows listed with line numbers.
 */
import path from 'node:path';
import { parse, required, timeframe } from '../args.js';
import { UsageError } from '../errors.js';
import { line, type CliIo } from '../io.js';
import { DB_OPTION, openStore } from './common.js';
import { auditedChange } from '../cli-audit.js';
import { SYMBOL_OPTIONS, seriesSymbol } from './series-symbol.js';
import { createSource } from '../../sources/registry.js';
import { systemClock } from '../../net/clock.js';
import { Network } from '../../net/network.js';
import { checkCandleFile, storeCandleFile, InvalidRowsError } from '../../import/candle-import.js';
import type { TsUnit } from '../../import/candle-rows.js';
import fs from 'node:fs';
import type { Store } from '../../store/store.js';

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, {
    ...DB_OPTION,
    source: { type: 'string' },
    ...SYMBOL_OPTIONS,
    timeframe: { type: 'string' },
    file: { type: 'string' },
    columns: { type: 'string' },
    'ts-unit': { type: 'string' },
  });
  const tf = timeframe(required(values, 'timeframe'));
  const file = required(values, 'file');
  if (!fs.existsSync(file) || !fs.statSync(file).isFile())
    throw new UsageError(`--file ${file} is not a file: give the path of a candle CSV`);
  const unit = values['ts-unit'] as string | undefined;
  if (unit !== undefined && unit !== 'ms' && unit !== 's' && unit !== 'us')
    throw new UsageError(`unknown --ts-unit '${unit}': use ms, s or us`);
  const network = new Network(systemClock);
  const source = createSource(required(values, 'source'), { clock: systemClock, env: io.env, network });
  const symbol = seriesSymbol(source, values);
  const options = {
    file,
    key: { source: source.id, symbol, timeframe: tf },
    columns: values.columns as string | undefined,
    tsUnit: unit as TsUnit | undefined,
    now: systemClock.now(),
  };
  let store: Store | null = null;
  try {
    // The whole file is checked before the database is even opened.
    const checked = checkCandleFile(options);
    store = openStore(values, io);
    const opened = store;
    const result = auditedChange(
      store,
      'import',
      { ...options.key, file: path.basename(file), rows: checked.rows },
      () => storeCandleFile(opened, options, checked),
    );
    const span = `${new Date(result.first).toISOString()}..${new Date(result.last).toISOString()}`;
    line(
      io.stdout,
      `imported ${result.rows} candles (${result.stored} new or changed) into ${source.id} ${symbol} ${tf} from ${path.basename(file)}, ${span}, timestamps in ${result.unit}`,
    );
    return 0;
  } catch (err) {
    if (err instanceof InvalidRowsError) {
      for (const row of err.rows) line(io.stderr, `  line ${row.line}: ${row.error}`);
      if (err.count > err.rows.length) line(io.stderr, `  … and ${err.count - err.rows.length} more`);
    }
    throw err;
  } finally {
    network.stop();
    store?.close();
  }
}
