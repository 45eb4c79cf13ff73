/**
 * `candlekeep backfill --plan`: what a backfill would fetch from archives and over REST, from the
 * database alone and without a request; and the archive part of a finished backfill, in one line.
 */
import type { Store } from '../../store/store.js';
import type { Source } from '../../sources/source.js';
import type { ArchiveBackfill, ArchiveReport } from '../../engine/archive-backfill.js';
import { describePlan } from '../../engine/archive-plan.js';
import { missingRanges } from '../../engine/coverage.js';
import type { Clock } from '../../net/clock.js';
import type { SeriesKey } from '../../../shared/domain.js';
import { lastClosedOpen, nextOpen } from '../../../shared/timeframe.js';

export function planLines(
  store: Store,
  source: Source,
  bulk: ArchiveBackfill | undefined,
  clock: Clock,
  key: SeriesKey,
  from: number,
  to: number,
): string[] {
  const liveEdge = nextOpen(key.timeframe, lastClosedOpen(key.timeframe, clock.now()));
  const series = store.series.find(key);
  const ranges = missingRanges(store, series?.id ?? null, key.timeframe, from, Math.min(to, liveEdge));
  if (bulk) return describePlan(bulk.plan(key.symbol, key.timeframe, ranges));
  const requests = ranges.reduce((n, r) => n + source.windows(key.timeframe, r.from, r.to).length, 0);
  const iso = (ts: number): string => new Date(ts).toISOString();
  return [
    `plan for ${key.source} ${key.symbol} ${key.timeframe}:`,
    ...ranges.map((r) => `  REST: ${iso(r.from)}..${iso(r.to)}`),
    `  requests: ${requests} REST${ranges.length ? '' : ' (nothing to fetch)'}`,
  ];
}

export function describeArchiveReport(report: ArchiveReport): string | null {
  if (!report.plan.archives.length) return null;
  const check = report.crossCheck;
  const parts = [`archives: ${report.imported.length} of ${report.plan.archives.length} files imported`];
  if (report.fellBack.length)
    parts.push(`over REST instead: ${report.fellBack.map((f) => `${f.file} (${f.status})`).join(', ')}`);
  if (check)
    parts.push(
      check.differing
        ? `cross-check: ${check.differing} of ${check.compared} candles differ${check.trusted ? ' (REST values kept)' : ' (archives not used)'}`
        : `cross-check: ${check.compared} candles agree with REST`,
    );
  return parts.join('; ');
}
