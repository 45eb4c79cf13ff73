/**
 * The quality report per series (docs/ARCHITECTURE.md "Where things live", quality checks): completeness,
 * holes by cause, rejected candles by reason, revisions, anomalies, agreement across timeframes and
 * across sources. The checks run first, each from where it stopped last time (so a report over years of
 * candles reads them once, ever), and store their flags; the report is then counted from the database.
 */
import type { Store } from '../store/store.js';
import type { Series } from '../../shared/domain.js';
import type { HoleCount, QualityReport, SourceAgreement, TimeframeAgreement } from '../../shared/quality.js';
import { candleCount } from '../../shared/timeframe.js';
import { DEFAULT_TAIL_TIMING, liveEdge, type TailTiming } from '../engine/series-planner.js';
import { DEFAULT_ANOMALY_CONFIG, type AnomalyConfig } from './anomalies.js';
import { scanAnomalies } from './anomaly-scan.js';
import { scanTimeframes, timeframePairs, timeframeSubject } from './timeframe-check.js';
import { representatives, scanSources, sourceSubject } from './source-check.js';
import { seriesBounds } from './series-bounds.js';

/** Raw rejected rows per reason in a report: enough to see what the source sent, small for every series. */
const REJECTED_EXAMPLES = 3;

export interface QualityOptions {
  tail?: TailTiming;
  anomalies?: AnomalyConfig;
}

/** Run every check that concerns `selected`, then report on each of them. */
export async function qualityReports(
  store: Store,
  selected: readonly Series[],
  now: number,
  options: QualityOptions = {},
): Promise<QualityReport[]> {
  const all = store.series.list();
  const wanted = new Set(selected.map((s) => s.id));
  for (const series of selected) await scanAnomalies(store, series, now, options.anomalies ?? DEFAULT_ANOMALY_CONFIG);
  const pairs = timeframePairs(all);
  for (const { lower, higher } of pairs)
    if (wanted.has(lower.id) || wanted.has(higher.id)) await scanTimeframes(store, lower, higher, now);
  for (const asset of store.assets.list()) {
    const reps = representatives(asset, all);
    if (reps.some((s) => selected.some((x) => x.source === s.source && x.symbol === s.symbol)))
      await scanSources(store, asset, reps, now);
  }
  return selected.map((series) => report(store, series, all, pairs, now, options.tail ?? DEFAULT_TAIL_TIMING));
}

function report(
  store: Store,
  series: Series,
  all: readonly Series[],
  pairs: Array<{ lower: Series; higher: Series }>,
  now: number,
  tail: TailTiming,
): QualityReport {
  const tf = series.timeframe;
  const from = series.startTs;
  const to = Math.max(from, liveEdge(series, now, tail));
  const slots = (a: number, b: number): number => (b > a ? candleCount(tf, a, b) : 0);
  let marketClosed = 0;
  let confirmedEmpty = 0;
  for (const h of store.holes.overlapping(series.id, from, to)) {
    const n = slots(Math.max(h.fromTs, from), Math.min(h.toTs, to));
    if (h.state === 'market_closed') marketClosed += n;
    // A candle the source only ever sent broken is data the user lacks: it stays expected.
    else if (h.state === 'confirmed_empty' && h.cause !== 'rejected') confirmedEmpty += n;
  }
  // The cached total where every stored candle is in range (the usual case); else a range count.
  const { firstTs, lastTs } = seriesBounds(store, series.id);
  const stored =
    firstTs === null
      ? 0
      : firstTs >= from && lastTs! < to
        ? store.candles.total(series.id)
        : store.candles.count(series.id, from, to);
  const expected = Math.max(0, slots(from, to) - marketClosed - confirmedEmpty);

  const holes = new Map<string, HoleCount>();
  for (const h of store.holes.list(series.id)) {
    const key = `${h.cause}/${h.state}`;
    const entry = holes.get(key) ?? { cause: h.cause, state: h.state, holes: 0, candles: 0 };
    entry.holes++;
    entry.candles += slots(h.fromTs, h.toTs);
    holes.set(key, entry);
  }

  const flags = store.quality.counts(series.id);
  const sum = (kind: string, field: 'flags' | 'candles'): number =>
    flags.filter((f) => f.kind === kind).reduce((n, f) => n + f[field], 0);

  const timeframes: TimeframeAgreement[] = pairs
    .filter((p) => p.lower.id === series.id || p.higher.id === series.id)
    .map(({ lower, higher }) => {
      const subject = timeframeSubject(lower, higher);
      return {
        higherSeriesId: higher.id,
        higherTimeframe: higher.timeframe,
        lowerSeriesId: lower.id,
        lowerTimeframe: lower.timeframe,
        compared: store.quality.tallyOf(subject, higher.id).compared,
        mismatches: store.quality
          .counts(higher.id)
          .filter((f) => f.subject === subject)
          .reduce((n, f) => n + f.flags, 0),
      };
    });

  return {
    seriesId: series.id,
    source: series.source,
    symbol: series.symbol,
    timeframe: tf,
    from,
    to,
    completeness: {
      stored,
      expected,
      ratio: expected > 0 ? Math.min(1, stored / expected) : null,
      marketClosed,
      confirmedEmpty,
    },
    holes: [...holes.values()].sort((a, b) => b.candles - a.candles),
    rejected: store.rejected
      .countsByReason(series.id)
      .map((r) => ({ ...r, examples: store.rejected.examples(series.id, r.reason, REJECTED_EXAMPLES) })),
    revisions: store.quality.revisions(series.id),
    anomalies: {
      returnOutliers: sum('return_outlier', 'flags'),
      volumeOutliers: sum('volume_outlier', 'flags'),
      flatRuns: sum('flat_run', 'flags'),
      flatCandles: sum('flat_run', 'candles'),
    },
    timeframes,
    sources: sourceAgreement(store, series, all),
    recentFlags: store.quality.list(series.id, { limit: 20 }),
  };
}

function sourceAgreement(store: Store, series: Series, all: readonly Series[]): SourceAgreement | null {
  const asset = store.assets.of(series.source, series.symbol);
  if (!asset) return null;
  const peers = asset.listings.filter((l) => l.source !== series.source);
  if (!peers.length) return null;
  const rep = representatives(asset, all).find((s) => s.source === series.source);
  if (!rep) return null;
  const subject = sourceSubject(asset.name);
  const tally = store.quality.tallyOf(subject, rep.id);
  const deviations = store.quality
    .counts(rep.id)
    .filter((f) => f.subject === subject)
    .reduce((n, f) => n + f.flags, 0);
  return {
    asset: asset.name,
    tolerance: asset.tolerance,
    peers,
    comparedSeriesId: rep.id,
    compared: tally.compared,
    deviations,
    maxDeviation: tally.maxDeviation,
  };
}
