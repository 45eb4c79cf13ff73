/**
 * `candlekeep history [--source S | --series ID|SOURCE:SYMBOL:TIMEFRAME] [--range 1h|24h|7d|90d] [--json] [--db FILE]`:
 * health over time from the database. Without --source or --series: the SLOs over 24 hours and 7
 * days against their targets, and each source's last hour. Read from the history tables only.
 */
import fs from 'node:fs';
import { parse } from '../args.js';
import { line, type CliIo } from '../io.js';
import { UsageError } from '../errors.js';
import { DB_OPTION, databaseExists, dbPath, openStore } from './common.js';
import { selectSeries } from './series-select.js';
import { HistoryService } from '../../health/history-service.js';
import { DEFAULT_TAIL_TIMING } from '../../engine/series-planner.js';
import { systemClock } from '../../net/clock.js';
import {
  HISTORY_RANGES,
  SLO_TARGETS,
  sloMet,
  sloShown,
  type HistoryOverview,
  type HistoryRange,
  type RequestBucket,
  type SeriesHistory,
  type SourceHistory,
} from '../../../shared/history.js';

const pct = (x: number | null): string => (x === null ? '-' : `${(x * 100).toFixed(2)}%`);
const ms = (x: number | null): string => (x === null ? '-' : `${Math.round(x)} ms`);
const iso = (ts: number): string => new Date(ts).toISOString().replace(':00.000Z', 'Z');

function sloLines(o: HistoryOverview): string[] {
  const out = [`${'SLO'.padEnd(18)} ${'24h'.padStart(10)} ${'7d'.padStart(10)}  target`];
  for (const t of SLO_TARGETS) {
    const show = (v: number | null): string => `${t.unit === 'ms' ? ms(v) : pct(v)}${sloMet(t, v) ? '' : '!'}`;
    const target = `${t.kind === 'below' ? '<' : '≥'} ${t.unit === 'ms' ? ms(t.target) : pct(t.target)}`;
    out.push(
      `${t.label.padEnd(18)} ${show(sloShown(o.slo.windows['24h'], t.key)).padStart(10)} ${show(sloShown(o.slo.windows['7d'], t.key)).padStart(10)}  ${target}`,
    );
  }
  out.push(
    '(! misses its target)',
    '',
    `${'source'.padEnd(16)} ${'requests 1h'.padStart(12)} ${'success'.padStart(9)} ${'worst p95'.padStart(10)}`,
  );
  for (const h of o.heartbeats) {
    const requests = h.buckets.reduce((n, b) => n + b.requests, 0);
    const ok = h.buckets.reduce((n, b) => n + (b.successRate ?? 0) * b.requests, 0);
    const p95 = Math.max(0, ...h.buckets.map((b) => b.p95Ms ?? 0));
    out.push(
      `${h.source.padEnd(16)} ${String(requests).padStart(12)} ${(requests ? pct(ok / requests) : '-').padStart(9)} ${(p95 ? ms(p95) : '-').padStart(10)}`,
    );
  }
  return out;
}

const errorText = (b: RequestBucket): string =>
  Object.entries(b.errors)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || '-';

function sourceLines(h: SourceHistory): string[] {
  const t = h.totals;
  const out = [
    `${h.source}, ${h.range} (${iso(h.from)} .. ${iso(h.to)}): ${t.requests} requests, ${pct(t.successRate)} ok, p50 ${ms(t.p50Ms)}, p95 ${ms(t.p95Ms)}, 429 ${t.rateLimited}, 418 ${t.banned}`,
    `${'from'.padEnd(17)} ${'requests'.padStart(8)} ${'success'.padStart(9)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'429'.padStart(4)} ${'418'.padStart(4)} ${'weight'.padStart(7)}  errors`,
  ];
  for (const b of h.buckets.filter((x) => x.requests)) {
    out.push(
      `${iso(b.at).padEnd(17)} ${String(b.requests).padStart(8)} ${pct(b.successRate).padStart(9)} ${ms(b.p50Ms).padStart(8)} ${ms(b.p95Ms).padStart(8)} ${String(b.rateLimited).padStart(4)} ${String(b.banned).padStart(4)} ${String(b.weight).padStart(7)}  ${errorText(b)}`,
    );
  }
  for (const c of h.circuitChanges) out.push(`circuit ${c.state} at ${iso(c.at)}`);
  return out;
}

function seriesLines(label: string, h: SeriesHistory): string[] {
  const out = [`${label}, ${h.range}: hourly completeness and lag`];
  for (const p of h.points)
    out.push(`  ${iso(p.at).padEnd(17)} ${pct(p.completeness).padStart(8)}  lag ${Math.round(p.lagMs / 1000)} s`);
  out.push('holes per day (opened / repaired / settled empty):');
  for (const d of h.holesByDay) out.push(`  ${iso(d.day).slice(0, 10)}  ${d.opened} / ${d.repaired} / ${d.settled}`);
  return out;
}

function rangeOf(value: unknown): HistoryRange {
  if (value === undefined) return '24h';
  if (!HISTORY_RANGES.includes(value as HistoryRange))
    throw new UsageError(`--range '${String(value)}' is not a range: use 1h, 24h, 7d or 90d`);
  return value as HistoryRange;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, {
    ...DB_OPTION,
    source: { type: 'string' },
    series: { type: 'string' },
    range: { type: 'string' },
    json: { type: 'boolean' },
  });
  const range = rangeOf(values.range);
  if (values.source && values.series) throw new UsageError('give --source or --series, not both');
  const file = dbPath(values, io);
  if (!databaseExists(file))
    throw new Error(`no database at ${file}: run the engine (serve, daemon) first, or pass --db`);
  const store = openStore(values, io);
  try {
    // No engine here: "now" is the wall's, as for every command that reads the database alone.
    const history = new HistoryService(store, systemClock, DEFAULT_TAIL_TIMING);
    const print = (result: unknown, lines: () => string[]): number => {
      if (values.json) line(io.stdout, JSON.stringify(result));
      else for (const text of lines()) line(io.stdout, text);
      return 0;
    };
    if (typeof values.source === 'string') {
      const known = [
        ...new Set([...store.series.list().map((x) => x.source), ...store.historyQueries.sources(0)]),
      ].sort();
      if (!known.includes(values.source))
        throw new UsageError(
          `no history for source '${values.source}': ${known.length ? `sources with history are ${known.join(', ')}` : 'nothing has been fetched yet'}`,
        );
      const h = history.source(values.source, range);
      return print(h, () => sourceLines(h));
    }
    if (typeof values.series === 'string') {
      const [s] = selectSeries(store, [values.series]);
      const h = history.series(s!.id, range);
      return print(h, () => seriesLines(`${s!.source} ${s!.symbol} ${s!.timeframe}`, h));
    }
    const o = history.overview();
    return print(o, () => sloLines(o));
  } finally {
    store.close();
  }
}
