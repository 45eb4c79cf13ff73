/** Naming a series on the command line: --source S --symbol X --timeframe T (or --id N). */
import { required, timeframe, type Options } from '../args.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { createSource } from '../../sources/registry.js';
import { systemClock } from '../../net/clock.js';
import type { Network } from '../../net/network.js';
import type { Store } from '../../store/store.js';
import type { Source } from '../../sources/source.js';
import type { Series, SeriesKey } from '../../../shared/domain.js';
import { SYMBOL_OPTIONS, seriesSymbol } from './series-symbol.js';

export const SERIES_OPTIONS: Options = {
  ...SYMBOL_OPTIONS,
  source: { type: 'string' },
  timeframe: { type: 'string' },
  id: { type: 'string' },
};

/** The key named by the options, the symbol normalized by its source (invalid input: UsageError). */
export function seriesKey(
  values: Record<string, unknown>,
  io: CliIo,
  network: Network,
): { key: SeriesKey; source: Source } {
  const tf = timeframe(required(values, 'timeframe'));
  const source = createSource(required(values, 'source'), { clock: systemClock, env: io.env, network });
  return { key: { source: source.id, symbol: seriesSymbol(source, values), timeframe: tf }, source };
}

/** The stored series named by --id or by --source/--symbol/--timeframe. */
export function findSeries(values: Record<string, unknown>, io: CliIo, network: Network, store: Store): Series {
  if (typeof values.id === 'string') {
    const id = Number(values.id);
    const series = Number.isInteger(id) ? store.series.get(id) : null;
    if (!series) throw new UsageError(`no series with id '${values.id}': see 'candlekeep series list'`);
    return series;
  }
  const { key } = seriesKey(values, io, network);
  const series = store.series.find(key);
  if (!series)
    throw new UsageError(`no series ${key.source} ${key.symbol} ${key.timeframe}: add it with 'candlekeep series add'`);
  return series;
}

export function describeSeries(s: SeriesKey): string {
  return `${s.source} ${s.symbol} ${s.timeframe}`;
}
