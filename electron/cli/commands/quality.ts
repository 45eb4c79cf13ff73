/**
 * `candlekeep quality [--series ID|SOURCE:SYMBOL:TIMEFRAME]... [--json] [--db FILE]`: the quality
 * report per series (electron/quality/quality-report.ts). Running it brings the checks up to date
 * (they store their flags), so it opens the database for writing.
 */
import fs from 'node:fs';
import { parse } from '../args.js';
import { line, type CliIo } from '../io.js';
import { DB_OPTION, databaseExists, dbPath, openStore } from './common.js';
import { selectSeries } from './series-select.js';
import { qualityReports } from '../../quality/quality-report.js';
import { systemClock } from '../../net/clock.js';
import type { QualityReport } from '../../../shared/quality.js';

const iso = (ts: number | null): string => (ts === null ? '-' : new Date(ts).toISOString().replace(':00.000Z', 'Z'));
const pct = (x: number | null, digits = 2): string => (x === null ? '-' : `${(x * 100).toFixed(digits)}%`);
const n = (x: number): string => x.toLocaleString('en-US');

/** The report as a block of aligned lines a user reads on a terminal. */
export function describeReport(r: QualityReport): string[] {
  const c = r.completeness;
  const excluded = [
    c.marketClosed ? `${n(c.marketClosed)} market closed` : '',
    c.confirmedEmpty ? `${n(c.confirmedEmpty)} confirmed empty` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const rows: Array<[string, string]> = [
    [
      'completeness',
      `${pct(c.ratio)} (${n(c.stored)} of ${n(c.expected)} expected${excluded ? `; not counted: ${excluded}` : ''})`,
    ],
    [
      'holes',
      r.holes.length
        ? r.holes.map((h) => `${h.cause}/${h.state} ${h.holes} (${n(h.candles)} candles)`).join(', ')
        : 'none',
    ],
    [
      'rejected',
      r.rejected.length
        ? `${n(r.rejected.reduce((s, x) => s + x.candles, 0))} candles: ${r.rejected.map((x) => `${x.reason} ${x.candles}`).join(', ')}`
        : 'none',
    ],
    ['revisions', r.revisions.count ? `${r.revisions.count} (last ${iso(r.revisions.lastAt)})` : 'none'],
    [
      'anomalies',
      `${r.anomalies.returnOutliers} return outlier(s), ${r.anomalies.volumeOutliers} volume outlier(s), ${r.anomalies.flatRuns} flat run(s) (${r.anomalies.flatCandles} candles)`,
    ],
    ...r.timeframes.map((t): [string, string] => [
      'timeframes',
      `${t.higherTimeframe} vs the aggregate of ${t.lowerTimeframe}: ${n(t.compared)} compared, ${t.mismatches} mismatch(es)`,
    ]),
  ];
  if (r.sources) {
    const s = r.sources;
    const peers = s.peers.map((p) => `${p.source} ${p.symbol}`).join(', ');
    rows.push([
      'sources',
      `${s.asset} (tolerance ${pct(s.tolerance)}): ${n(s.compared)} closes compared with ${peers}, ${s.deviations} deviation(s), largest ${pct(s.maxDeviation, 3)}`,
    ]);
  }
  const out = [`${r.source} ${r.symbol} ${r.timeframe} (id ${r.seriesId}), ${iso(r.from)} .. ${iso(r.to)}`];
  for (const [label, text] of rows) out.push(`  ${label.padEnd(13)} ${text}`);
  if (r.recentFlags.length) {
    out.push('  recent flags:');
    for (const f of r.recentFlags.slice(0, 10)) out.push(`    ${iso(f.ts)}  ${f.kind.padEnd(18)} ${f.message}`);
  }
  return out;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, {
    ...DB_OPTION,
    series: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  });
  const file = dbPath(values, io);
  if (!databaseExists(file)) throw new Error(`no database at ${file}: backfill something first, or pass --db`);
  const store = openStore(values, io);
  try {
    const selected = selectSeries(store, (values.series as unknown as string[] | undefined) ?? []);
    const reports = await qualityReports(store, selected, systemClock.now());
    if (values.json) {
      line(io.stdout, JSON.stringify(reports));
      return 0;
    }
    if (!reports.length) line(io.stdout, "no series yet: add one with 'candlekeep series add'");
    reports.forEach((r, i) => {
      if (i) line(io.stdout, '');
      for (const text of describeReport(r)) line(io.stdout, text);
    });
    return 0;
  } finally {
    store.close();
  }
}
