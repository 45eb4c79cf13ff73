/** `candlekeep export --source S --symbol X [--vs CUR] --timeframe T [--from A --to B] --format csv [--db FILE]` */
import { instant, parse, required, timeframe } from '../args.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { DB_OPTION, dbPath } from './common.js';
import { SYMBOL_OPTIONS, seriesSymbol } from './series-symbol.js';
import { Store } from '../../store/store.js';
import { createSource } from '../../sources/registry.js';
import { systemClock } from '../../engine/clock.js';
import { Network } from '../../engine/network.js';
import { once } from 'node:events';

export const usage = 'export --source S --symbol X [--vs CUR] --timeframe T [--from TIME] [--to TIME] [--format csv] [--db FILE]';

const fmt = (n: number | null): string => (n === null ? '' : String(n));

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, { ...DB_OPTION, source: { type: 'string' }, ...SYMBOL_OPTIONS, timeframe: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' } });
  const tf = timeframe(required(values, 'timeframe'));
  const format = (values.format as string | undefined) ?? 'csv';
  if (format !== 'csv') throw new UsageError(`unknown --format '${format}': use csv`);
  const from = typeof values.from === 'string' ? instant(values.from, 'from') : 0;
  const to = typeof values.to === 'string' ? instant(values.to, 'to') : Number.MAX_SAFE_INTEGER;
  if (from >= to) throw new UsageError('--from must be before --to');
  const source = createSource(required(values, 'source'), { clock: systemClock, env: io.env, network: new Network(systemClock) });
  const symbol = seriesSymbol(source, values);
  const store = Store.open(dbPath(values, io), { readonly: true });
  try {
    const series = store.series.find({ source: source.id, symbol, timeframe: tf });
    if (!series) throw new Error(`no stored series ${source.id} ${symbol} ${tf}: backfill it first`);
    io.stdout.write('ts,open,high,low,close,volume\n');
    let chunk = '';
    for (const c of store.candles.iterate(series.id, from, to)) {
      chunk += `${c.ts},${fmt(c.open)},${fmt(c.high)},${fmt(c.low)},${fmt(c.close)},${fmt(c.volume)}\n`;
      if (chunk.length > 1 << 16) {
        // Respect back-pressure so a year of 1m candles streams in constant memory.
        if (!io.stdout.write(chunk)) await once(io.stdout, 'drain');
        chunk = '';
      }
    }
    if (chunk) io.stdout.write(chunk);
    return 0;
  } finally {
    store.close();
  }
}
