/**
 * `candlekeep export --source S --symbol X [--vs CUR] --timeframe T [--from A --to B] [--format csv|json|parquet]
 *  [--out FILE] [--freqtrade DIR [--freqtrade-format json|jsongz] [--pair BASE/QUOTE]] [--db FILE]`
 */
import { instant, parse, required, timeframe } from '../args.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { DB_OPTION, dbPath } from './common.js';
import { SYMBOL_OPTIONS, seriesSymbol } from './series-symbol.js';
import { Store } from '../../store/store.js';
import { createSource } from '../../sources/registry.js';
import { systemClock } from '../../net/clock.js';
import { Network } from '../../net/network.js';
import { EXPORT_FORMATS, isExportFormat } from '../../export/export-formats.js';
import { freqtradeFormat, writeExport } from './export-output.js';

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, {
    ...DB_OPTION,
    source: { type: 'string' },
    ...SYMBOL_OPTIONS,
    timeframe: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    freqtrade: { type: 'string' },
    'freqtrade-format': { type: 'string' },
    pair: { type: 'string' },
  });
  const tf = timeframe(required(values, 'timeframe'));
  const format = (values.format as string | undefined) ?? 'csv';
  if (!isExportFormat(format)) throw new UsageError(`unknown --format '${format}': use ${EXPORT_FORMATS.join(', ')}`);
  const ft =
    typeof values.freqtrade === 'string'
      ? {
          dir: values.freqtrade,
          format: freqtradeFormat(values['freqtrade-format']),
          pair: values.pair as string | undefined,
        }
      : undefined;
  const from = typeof values.from === 'string' ? instant(values.from, 'from') : 0;
  const to = typeof values.to === 'string' ? instant(values.to, 'to') : Number.MAX_SAFE_INTEGER;
  if (from >= to) throw new UsageError('--from must be before --to');
  const source = createSource(required(values, 'source'), {
    clock: systemClock,
    env: io.env,
    network: new Network(systemClock),
  });
  const symbol = seriesSymbol(source, values);
  const store = Store.open(dbPath(values, io), { readonly: true });
  try {
    const series = store.series.find({ source: source.id, symbol, timeframe: tf });
    if (!series) throw new Error(`no stored series ${source.id} ${symbol} ${tf}: backfill it first`);
    await writeExport(store, series, from, to, { format, out: values.out as string | undefined, freqtrade: ft }, io);
    return 0;
  } finally {
    store.close();
  }
}
