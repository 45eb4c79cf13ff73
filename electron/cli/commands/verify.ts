/**
 * `candlekeep verify [--series ID|SOURCE:SYMBOL:TF]... [--json] [--db FILE]`: recompute coverage from
 * the stored candles and the gap ledger (engine/ledger-verify.ts); exit 1 on any finding.
 */
import { parse } from '../args.js';
import { line, type CliIo } from '../io.js';
import { EXIT_FAILURE } from '../errors.js';
import { DB_OPTION, dbPath } from './common.js';
import { selectSeries } from './series-select.js';
import { Store } from '../../store/store.js';
import { systemClock } from '../../net/clock.js';
import { Network } from '../../net/network.js';
import { createSource } from '../../sources/registry.js';
import { earliestServed } from '../../sources/capabilities.js';
import { verifyStore } from '../../engine/ledger-verify.js';
import type { Source } from '../../sources/source.js';
import type { Series } from '../../../shared/domain.js';

const iso = (ts: number): string => new Date(ts).toISOString().replace('.000Z', 'Z');

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, {
    ...DB_OPTION,
    series: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  });
  const store = Store.open(dbPath(values, io), { readonly: true });
  // Sources only for what they reach back to (nothing is requested): a range older than a source
  // serves cannot be fetched, so it is not expected.
  const network = new Network(systemClock);
  const sources = new Map<string, Source>();
  const reach = (series: Series): number | null => {
    let source = sources.get(series.source);
    if (!source)
      sources.set(series.source, (source = createSource(series.source, { clock: systemClock, env: io.env, network })));
    return earliestServed(source.capabilities, series.timeframe, systemClock.now());
  };
  try {
    const selected = selectSeries(store, (values.series as unknown as string[] | undefined) ?? []);
    const report = verifyStore(store, systemClock.now(), { seriesIds: selected.map((s) => s.id), reach });
    if (values.json) line(io.stdout, JSON.stringify(report));
    else {
      for (const f of report.findings)
        line(io.stdout, `${f.kind.padEnd(13)} ${iso(f.from)} .. ${iso(f.to)}  ${f.detail}`);
      line(
        io.stdout,
        report.findings.length
          ? `${report.findings.length} finding(s) in ${report.series} series: the ledger does not account for the data as shown`
          : `verified ${report.series} series: every range is stored or in the ledger`,
      );
    }
    return report.findings.length ? EXIT_FAILURE : 0;
  } finally {
    network.stop();
    store.close();
  }
}
