/**
 * `candlekeep backfill --source S --symbol X [--vs CUR] --timeframe T --from A --to B [--db FILE] [--json] [--plan] [--rest-only]`
 * Binance history older than about two days comes from its archives first (--plan shows how).
 */
import { parse, range, required, timeframe } from '../args.js';
import { line, type CliIo } from '../io.js';
import { progressBar } from '../progress-bar.js';
import { DB_OPTION, openStore } from './common.js';
import { auditedChange } from '../cli-audit.js';
import { SYMBOL_OPTIONS, seriesSymbol } from './series-symbol.js';
import { createSource } from '../../sources/registry.js';
import { SourceError } from '../../sources/source.js';
import { backfill } from '../../engine/backfill.js';
import { systemClock } from '../../net/clock.js';
import { Network } from '../../net/network.js';
import type { BackfillSummary } from '../../../shared/domain.js';
import { bulkHistoryFor } from '../../engine/bulk-registry.js';
import { describeArchiveReport, planLines } from './backfill-plan.js';

const SHOWN_HOLES = 3;

/** One line: the counts, the holes by cause and state, the first few of them ('candlekeep gaps' lists all). */
function describe(s: BackfillSummary): string {
  const iso = (ts: number): string => new Date(ts).toISOString().replace(':00.000Z', 'Z');
  const kinds = new Map<string, number>();
  for (const h of s.holes) kinds.set(`${h.state} ${h.cause}`, (kinds.get(`${h.state} ${h.cause}`) ?? 0) + 1);
  const first = s.holes
    .slice(0, SHOWN_HOLES)
    .map((h) => `${iso(h.fromTs)}..${iso(h.toTs)}`)
    .join(', ');
  const more = s.holes.length > SHOWN_HOLES ? `, … (candlekeep gaps lists all)` : '';
  const holes = s.holes.length
    ? `; ${s.holes.length} hole${s.holes.length > 1 ? 's' : ''}: ${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')} (${first}${more})`
    : '';
  return `stored ${s.candlesStored} candles of ${s.source} ${s.symbol} ${s.timeframe} in ${s.requests} requests, ${s.seconds.toFixed(2)} s${holes}`;
}

/**
 * A source that still failed after its retries ends the backfill, but what was stored stays, and the
 * rest of the range is in the ledger with the error: the user is told how to carry on.
 */
function resumable(err: unknown, stop: AbortSignal): unknown {
  if (!(err instanceof SourceError) || err.kind === 'rejected' || stop.aborted) return err;
  return new SourceError(
    `${err.message}; what was not fetched is in the ledger ('candlekeep gaps' lists it): run the same backfill again to resume`,
    err.kind,
    err.status,
  );
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, {
    ...DB_OPTION,
    source: { type: 'string' },
    ...SYMBOL_OPTIONS,
    timeframe: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    json: { type: 'boolean' },
    plan: { type: 'boolean' },
    'rest-only': { type: 'boolean' },
  });
  const tf = timeframe(required(values, 'timeframe'));
  const { from, to } = range(values);
  const network = new Network(systemClock);
  const source = createSource(required(values, 'source'), { clock: systemClock, env: io.env, network });
  const symbol = seriesSymbol(source, values);
  const store = openStore(values, io);
  const bar = progressBar(io.stderr);
  const started = performance.now();
  const bulk = values['rest-only']
    ? undefined
    : bulkHistoryFor(source, {
        store,
        clock: systemClock,
        env: io.env,
        onProgress: (p) =>
          bar.update({
            windowsDone: p.filesDone,
            windowsTotal: p.filesTotal,
            candlesStored: p.candlesStored,
            requests: 0,
            rate: p.candlesStored / ((performance.now() - started) / 1000 || 1),
            etaSec: null,
          }),
      });
  try {
    const key = { source: source.id, symbol, timeframe: tf };
    if (values.plan) {
      for (const text of planLines(store, source, bulk, systemClock, key, from, to)) line(io.stdout, text);
      return 0;
    }
    const summary = await auditedChange(store, 'backfill:start', { ...key, from, to }, () =>
      backfill(
        { store, source, clock: systemClock, bulk },
        { key, from, to },
        { onProgress: (p) => bar.update(p), signal: io.stopSignal },
      ),
    ).catch((err: unknown) => {
      throw resumable(err, io.stopSignal);
    });
    bar.done();
    line(io.stdout, values.json ? JSON.stringify(summary) : describe(summary));
    const archives = bulk?.lastReport && !values.json ? describeArchiveReport(bulk.lastReport) : null;
    if (archives) line(io.stdout, archives);
    return 0;
  } finally {
    bar.done();
    network.stop();
    store.close();
  }
}
