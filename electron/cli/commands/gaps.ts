/** `candlekeep gaps [--series ID|SOURCE:SYMBOL:TF]... [--json] [--db FILE]`: the hole ledger by series. */
import { parse } from '../args.js';
import { line, type CliIo } from '../io.js';
import { DB_OPTION, dbPath } from './common.js';
import { selectSeries } from './series-select.js';
import { Store } from '../../store/store.js';
import { candleCount } from '../../../shared/timeframe.js';

const iso = (ts: number): string => new Date(ts).toISOString().replace('.000Z', 'Z');

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, {
    ...DB_OPTION,
    series: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  });
  const store = Store.open(dbPath(values, io), { readonly: true });
  try {
    const report = selectSeries(store, (values.series as unknown as string[] | undefined) ?? []).map((s) => ({
      series: { id: s.id, source: s.source, symbol: s.symbol, timeframe: s.timeframe },
      holes: store.holes.list(s.id).map((h) => ({ ...h, candles: candleCount(s.timeframe, h.fromTs, h.toTs) })),
    }));
    if (values.json) {
      line(io.stdout, JSON.stringify(report));
      return 0;
    }
    for (const { series, holes } of report) {
      line(
        io.stdout,
        `${series.source} ${series.symbol} ${series.timeframe}: ${holes.length ? `${holes.length} hole(s)` : 'no holes'}`,
      );
      for (const h of holes) {
        const next =
          h.nextAttemptTs === null ? '' : `, ${h.state === 'open' ? 'next look' : 'late look'} ${iso(h.nextAttemptTs)}`;
        const retry =
          h.state === 'open' || h.nextAttemptTs !== null
            ? ` (attempts ${h.attempts}, empty looks ${h.looks}${next}${h.lastError ? `, last error: ${h.lastError}` : ''})`
            : '';
        line(
          io.stdout,
          `  ${iso(h.fromTs)} .. ${iso(h.toTs)}  ${String(h.candles).padStart(6)} candles  ${h.state.padEnd(15)} ${h.cause}${retry}`,
        );
      }
    }
    return 0;
  } finally {
    store.close();
  }
}
