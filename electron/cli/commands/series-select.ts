/** Choosing stored series by `--series ID|SOURCE:SYMBOL:TIMEFRAME` (repeatable; none: all of them). */
import { UsageError } from '../errors.js';
import type { Store } from '../../store/store.js';
import type { Series } from '../../../shared/domain.js';

export function selectSeries(store: Store, wanted: readonly string[]): Series[] {
  const all = store.series.list();
  if (!wanted.length) return all;
  return wanted.map((w) => {
    const found = /^\d+$/.test(w)
      ? all.find((s) => s.id === Number(w))
      : all.find((s) => `${s.source}:${s.symbol}:${s.timeframe}` === w);
    if (!found)
      throw new UsageError(
        `no series '${w}': name it by id or as source:symbol:timeframe (see 'candlekeep series list')`,
      );
    return found;
  });
}
