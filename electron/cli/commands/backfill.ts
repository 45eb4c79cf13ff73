/** `candlekeep backfill --source S --symbol X --timeframe T --from A --to B [--db FILE] [--json]` */
import { parse, range, required, timeframe } from '../args.js';
import { line, type CliIo } from '../io.js';
import { progressBar } from '../progress-bar.js';
import { DB_OPTION, openStore } from './common.js';
import { createSource } from '../../sources/registry.js';
import { backfill } from '../../engine/backfill.js';
import { systemClock } from '../../engine/clock.js';
import { Network } from '../../engine/network.js';
import type { BackfillSummary } from '../../../shared/domain.js';

export const usage = 'backfill --source S --symbol X --timeframe T --from TIME --to TIME [--db FILE] [--json]';

function describe(s: BackfillSummary): string {
  const holes = s.holes.length
    ? `; ${s.holes.length} hole${s.holes.length > 1 ? 's' : ''} (${s.holes.map((h) => `${h.cause} ${new Date(h.fromTs).toISOString()}..${new Date(h.toTs).toISOString()} ${h.state}`).join(', ')})`
    : '';
  return `stored ${s.candlesStored} candles of ${s.source} ${s.symbol} ${s.timeframe} in ${s.requests} requests, ${s.seconds.toFixed(2)} s${holes}`;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, { ...DB_OPTION, source: { type: 'string' }, symbol: { type: 'string' }, timeframe: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' } });
  const tf = timeframe(required(values, 'timeframe'));
  const { from, to } = range(values);
  const network = new Network(systemClock);
  const source = createSource(required(values, 'source'), { clock: systemClock, env: io.env, network });
  const symbol = source.normalizeSymbol(required(values, 'symbol'));
  const store = openStore(values, io);
  const bar = progressBar(io.stderr);
  try {
    const summary = await backfill(
      { store, source, clock: systemClock },
      { key: { source: source.id, symbol, timeframe: tf }, from, to },
      { onProgress: (p) => bar.update(p), signal: io.stopSignal },
    );
    bar.done();
    line(io.stdout, values.json ? JSON.stringify(summary) : describe(summary));
    return 0;
  } finally {
    bar.done();
    network.stop();
    store.close();
  }
}
