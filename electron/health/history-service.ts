/**
 * Health over time, as the dashboard, the CLI and /metrics ask for it: a source's history over a
 * range, the overview's heartbeats, a series' history, and the SLOs. Every "now" is the engine's
 * clock (the simulator may run time faster); the sums come from the store's history tables.
 */
import type { Store } from '../store/store.js';
import type { Clock } from '../net/clock.js';
import { bucketSeries, bucketTotal } from './request-buckets.js';
import {
  RANGE_SPEC,
  apiSuccessRate,
  completenessRate,
  gapRecoveryRate,
  histogramPercentile,
  meanResponseMs,
  type HistoryOverview,
  type HistoryRange,
  type SeriesHistory,
  type SloReport,
  type SloValues,
  type SourceHeartbeat,
  type SourceHistory,
} from '../../shared/history.js';
import { candleCount } from '../../shared/timeframe.js';
import { liveEdge } from '../engine/series-planner.js';
import type { TailTiming } from '../engine/series-planner.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const HEARTBEAT_BUCKETS = 60;
const SLO_WINDOWS = { '24h': DAY, '7d': 7 * DAY } as const;

/** A source's budget limit and window, where a running engine knows it (the CLI has none). */
export type BudgetOf = (source: string) => { limit: number; windowMs: number } | null;

export class HistoryService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly tail: TailTiming,
    private readonly budgetOf: BudgetOf = () => null,
  ) {}

  private window(range: HistoryRange): { from: number; to: number; stepMs: number; grain: 'minute' | 'hour' } {
    const { spanMs, stepMs, grain } = RANGE_SPEC[range];
    // The current step is included (a live chart shows the minute in progress).
    const to = Math.floor(this.clock.now() / stepMs) * stepMs + stepMs;
    return { from: to - spanMs, to, stepMs, grain };
  }

  source(source: string, range: HistoryRange): SourceHistory {
    this.store.requests.flush();
    const { from, to, stepMs, grain } = this.window(range);
    const rows = this.store.historyQueries.outcomes(grain, source, from, to, stepMs);
    const total = bucketTotal(rows);
    const budget = this.budgetOf(source);
    return {
      source,
      range,
      from,
      to,
      stepMs,
      buckets: bucketSeries(rows, from, to, stepMs),
      hosts: this.store.historyQueries.hosts(grain, source, from, to).map((h) => ({
        host: h.host,
        requests: h.requests,
        successRate: h.requests ? apiSuccessRate(h.ok, h.requests) : null,
        p95Ms: histogramPercentile(h.hist, 95),
      })),
      budget: budget ? { limit: budget.limit, windowMs: budget.windowMs } : null,
      circuitChanges: this.store.historyQueries.breakerChanges(source, from, to),
      totals: {
        requests: total.requests,
        successRate: total.successRate,
        p50Ms: total.p50Ms,
        p95Ms: total.p95Ms,
        rateLimited: total.rateLimited,
        banned: total.banned,
        errors: total.errors,
      },
    };
  }

  /** The last 60 minutes of every source that has series or recent requests. */
  heartbeats(): SourceHeartbeat[] {
    this.store.requests.flush();
    const to = Math.floor(this.clock.now() / MINUTE) * MINUTE + MINUTE;
    const from = to - HEARTBEAT_BUCKETS * MINUTE;
    const ids = new Set([...this.store.series.list().map((s) => s.source), ...this.store.historyQueries.sources(from)]);
    return [...ids].sort().map((source) => ({
      source,
      buckets: bucketSeries(
        this.store.historyQueries.outcomes('minute', source, from, to, MINUTE),
        from,
        to,
        MINUTE,
      ).map((b) => ({ at: b.at, requests: b.requests, successRate: b.successRate, p95Ms: b.p95Ms })),
    }));
  }

  series(seriesId: number, range: HistoryRange): SeriesHistory {
    this.store.history.closeHoles(this.clock.now());
    const { from, to } = this.window(range);
    // Series are sampled hourly: a range shorter than a day still shows hours.
    const stepMs = Math.max(HOUR, RANGE_SPEC[range].stepMs);
    return {
      seriesId,
      range,
      from,
      to,
      points: this.store.historyQueries.seriesPoints(seriesId, from, to, stepMs),
      holesByDay: this.store.historyQueries
        .holeCounts(seriesId, from - (from % DAY), to, DAY)
        .map((h) => ({ day: h.at, opened: h.opened, repaired: h.repaired, settled: h.settled })),
    };
  }

  /** The SLOs over the last 24 hours and 7 days (minute buckets: a week is what they keep). */
  slo(): SloReport {
    this.store.requests.flush();
    this.store.history.closeHoles(this.clock.now());
    const now = this.clock.now();
    const windows = Object.fromEntries(
      Object.entries(SLO_WINDOWS).map(([name, spanMs]) => [name, this.sloOver(now - spanMs, now)]),
    ) as SloReport['windows'];
    return { at: now, windows };
  }

  /** Over [from, now]: buckets up to the minute in progress, candles up to each series' live edge at `now`. */
  private sloOver(from: number, now: number): SloValues {
    const t = this.store.historyQueries.totalsExact(from, Math.floor(now / MINUTE) * MINUTE + MINUTE);
    const r = this.store.historyQueries.recovery(from, now + 1);
    return {
      apiSuccess: apiSuccessRate(t.ok, t.requests),
      completeness: this.completenessSince(from, now),
      gapRecovery: gapRecoveryRate(r.repaired, r.recoverable),
      responseMs: meanResponseMs(t.latencySum, t.timed),
      requests: t.requests,
      holesRecoverable: r.recoverable,
      holesRepaired: r.repaired,
    };
  }

  /** Stored over expected candles, across every enabled series, from `from` to each one's live edge at `now`. */
  private completenessSince(from: number, now: number): number {
    let stored = 0;
    let expected = 0;
    for (const s of this.store.series.list()) {
      if (!s.enabled) continue;
      const start = Math.max(s.startTs, from);
      const edge = liveEdge(s, now, this.tail);
      if (edge <= start) continue;
      const settled = this.store.holes
        .overlapping(s.id, start, edge)
        .filter((h) => h.state !== 'open')
        .reduce((n, h) => n + candleCount(s.timeframe, Math.max(h.fromTs, start), Math.min(h.toTs, edge)), 0);
      stored += this.store.candles.count(s.id, start, edge);
      expected += candleCount(s.timeframe, start, edge) - settled;
    }
    return completenessRate(stored, expected);
  }

  overview(): HistoryOverview {
    return { at: this.clock.now(), heartbeats: this.heartbeats(), slo: this.slo() };
  }
}
