/**
 * `candlekeep series add|list|pause|resume|remove`: the series registry, stored in the database.
 *   series add --source S --symbol X --timeframe T --from DATE [--no-check]
 *   series list [--json]
 *   series pause|resume|remove (--source S --symbol X --timeframe T | --id N)
 */
import { instant, parse, required } from '../args.js';
import { UsageError } from '../errors.js';
import { line, type CliIo } from '../io.js';
import { DB_OPTION, openStore } from './common.js';
import { textTable } from '../text-table.js';
import { auditedChange } from '../cli-audit.js';
import { SERIES_OPTIONS, describeSeries, findSeries, seriesKey } from './series-args.js';
import { Network } from '../../net/network.js';
import { systemClock } from '../../net/clock.js';
import { SourceError } from '../../sources/source.js';
import { checkedSeries, removeSeries, setSeriesEnabled, storeSeries } from '../../app/series-operations.js';
import type { SeriesSummary } from '../../../shared/domain.js';

const iso = (ts: number | null): string => (ts === null ? '-' : new Date(ts).toISOString().replace('.000Z', 'Z'));

function table(rows: SeriesSummary[]): string {
  if (!rows.length)
    return "no series yet: add one with 'candlekeep series add --source binance --symbol BTCUSDT --timeframe 1m --from 2024-01-01'";
  const header = ['id', 'source', 'symbol', 'tf', 'keep from', 'state', 'candles', 'last candle', 'open holes'];
  const body = rows.map((s) => [
    String(s.id),
    s.source,
    s.symbol,
    s.timeframe,
    iso(s.startTs),
    s.enabled ? 'active' : 'paused',
    String(s.candleCount),
    iso(s.lastTs),
    String(s.openHoles),
  ]);
  return textTable(header, body);
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = argv;
  const { values } = parse(rest, {
    ...DB_OPTION,
    ...SERIES_OPTIONS,
    from: { type: 'string' },
    json: { type: 'boolean' },
    'no-check': { type: 'boolean' },
  });
  const network = new Network(systemClock);
  try {
    switch (action) {
      case 'add': {
        const { key, source } = seriesKey(values, io, network);
        const from = instant(required(values, 'from'), 'from');
        const request = { ...key, from };
        const deps = { clock: systemClock, sourceFor: () => source };
        // Checked before the database is opened: a refused series leaves nothing behind.
        const checked = await checkedSeries(deps, request, !values['no-check']).catch((err: unknown) => {
          if (err instanceof SourceError && err.kind === 'unavailable')
            throw new Error(`${err.message}; add --no-check to add it anyway`);
          if (err instanceof SourceError && err.kind === 'rejected') throw new UsageError(err.message);
          throw err;
        });
        const store = openStore(values, io);
        try {
          const { series, existed } = auditedChange(store, 'series:add', request, () =>
            storeSeries({ ...deps, store }, checked, from),
          );
          line(
            io.stdout,
            `${existed ? 'updated' : 'added'} ${describeSeries(series)} keeping from ${iso(series.startTs)} (id ${series.id})`,
          );
        } finally {
          store.close();
        }
        return 0;
      }
      case 'list': {
        const store = openStore(values, io);
        try {
          const rows = store.series.summaries();
          line(io.stdout, values.json ? JSON.stringify(rows) : table(rows));
        } finally {
          store.close();
        }
        return 0;
      }
      case 'pause':
      case 'resume':
      case 'remove': {
        const store = openStore(values, io);
        try {
          const series = findSeries(values, io, network, store);
          const args = {
            seriesId: series.id,
            source: series.source,
            symbol: series.symbol,
            timeframe: series.timeframe,
          };
          if (action === 'remove') {
            const candles = auditedChange(store, 'series:remove', args, () => removeSeries({ store }, series.id));
            line(io.stdout, `removed ${describeSeries(series)} and its ${candles} candles`);
          } else {
            auditedChange(store, `series:${action}`, args, () =>
              setSeriesEnabled({ store }, series.id, action === 'resume'),
            );
            line(io.stdout, `${action === 'resume' ? 'resumed' : 'paused'} ${describeSeries(series)}`);
          }
        } finally {
          store.close();
        }
        return 0;
      }
      default:
        throw new UsageError(`unknown series action '${action ?? ''}': use add, list, pause, resume or remove`);
    }
  } finally {
    network.stop();
  }
}
