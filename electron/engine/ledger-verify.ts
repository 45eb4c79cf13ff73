/**
 * Recomputes, from the stored candles and the gap ledger alone, whether every range of every series
 * is accounted for: from its keep-from date (or as far back as the source reaches) to its live edge,
 * each open time is a stored candle, or lies in exactly one ledger entry (open hole, confirmed empty,
 * market closed, history not fetched yet), or lies after the last of them (the live tail, fetched as
 * candles close). Anything else is a finding: a range accounted for by nothing, ledger entries that
 * overlap, or a ledger entry that contradicts a stored candle.
 */
import type { Store } from '../store/store.js';
import type { Series } from '../../shared/domain.js';
import { storedGaps } from './coverage.js';
import { subtractRanges } from './hole-ledger.js';
import { afterLedger, liveEdge, DEFAULT_TAIL_TIMING, type TailTiming } from './series-planner.js';
import { ceilToTimeframe, candleCount, nextOpen } from '../../shared/timeframe.js';

export type VerifyFindingKind = 'unaccounted' | 'overlap' | 'contradiction';

export interface VerifyFinding {
  seriesId: number;
  kind: VerifyFindingKind;
  from: number;
  to: number;
  detail: string;
}

export interface VerifyReport {
  /** Series checked. */
  series: number;
  findings: VerifyFinding[];
}

export interface VerifyOptions {
  seriesIds?: number[];
  tail?: TailTiming;
  /** The earliest open time the series' source still serves (its lookback), or null when it has all. */
  reach?: (series: Series) => number | null;
}

const iso = (ts: number): string => new Date(ts).toISOString();

export function verifySeries(store: Store, series: Series, now: number, options: VerifyOptions = {}): VerifyFinding[] {
  const findings: VerifyFinding[] = [];
  const found = (kind: VerifyFindingKind, from: number, to: number, detail: string): void => {
    findings.push({
      seriesId: series.id,
      kind,
      from,
      to,
      detail: `${series.source} ${series.symbol} ${series.timeframe}: ${detail}`,
    });
  };
  const holes = store.holes.list(series.id);
  for (let i = 1; i < holes.length; i++) {
    const [a, b] = [holes[i - 1]!, holes[i]!];
    if (b.fromTs < a.toTs)
      found(
        'overlap',
        b.fromTs,
        Math.min(a.toTs, b.toTs),
        `ledger entries ${a.state}/${a.cause} and ${b.state}/${b.cause} overlap at ${iso(b.fromTs)}`,
      );
  }
  for (const h of holes) {
    const stored = store.candles.count(series.id, h.fromTs, h.toTs);
    if (stored > 0)
      found(
        'contradiction',
        h.fromTs,
        h.toTs,
        `a ${h.state}/${h.cause} entry from ${iso(h.fromTs)} to ${iso(h.toTs)} holds ${stored} stored candle(s)`,
      );
  }
  const edge = liveEdge(series, now, options.tail ?? DEFAULT_TAIL_TIMING);
  const start = ceilToTimeframe(series.timeframe, Math.max(series.startTs, options.reach?.(series) ?? series.startTs));
  const last = store.candles.lastBefore(series.id, edge);
  // Nothing stored yet: everything is still the live tail's or history's to fetch (accounted if in the ledger).
  const tail =
    last === null || last < start ? start : afterLedger(store, series, nextOpen(series.timeframe, last), edge);
  if (tail <= start) return findings;
  const ledger = holes.map((h) => ({ from: h.fromTs, to: h.toTs }));
  for (const gap of subtractRanges(storedGaps(store, series.id, series.timeframe, start, tail), ledger)) {
    found(
      'unaccounted',
      gap.from,
      gap.to,
      `${candleCount(series.timeframe, gap.from, gap.to)} candle(s) from ${iso(gap.from)} to ${iso(gap.to)} are neither stored nor in the ledger`,
    );
  }
  return findings;
}

export function verifyStore(store: Store, now: number, options: VerifyOptions = {}): VerifyReport {
  const wanted = options.seriesIds ? new Set(options.seriesIds) : null;
  const series = store.series.list().filter((s) => !wanted || wanted.has(s.id));
  return { series: series.length, findings: series.flatMap((s) => verifySeries(store, s, now, options)) };
}
