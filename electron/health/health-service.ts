/**
 * Health of the whole installation, computed on demand from the request log, the budgets and
 * breakers, and the database: source tiles, series freshness and completeness, the overall status
 * the tray and the window title show.
 */
import type { Store } from '../store/store.js';
import type { Network } from '../net/network.js';
import type { Engine } from '../engine/engine.js';
import type { Clock } from '../net/clock.js';
import { computeSourceHealth } from './source-health.js';
import { MessageRate } from './message-rate.js';
import { afterSettled, liveEdge } from '../engine/series-planner.js';
import type { SeriesView } from '../../shared/contract.js';
import type {
  EngineStatusView,
  OverallHealth,
  SeriesFreshness,
  SourceHealth,
  StreamHealth,
} from '../../shared/health.js';
import type { Series, SeriesSummary } from '../../shared/domain.js';
import { candleCount, nextOpen } from '../../shared/timeframe.js';

const HOUR = 3_600_000;

export class HealthService {
  /** Each source's stream message rate, from its running count. */
  private readonly messageRate = new MessageRate();

  constructor(
    private readonly store: Store,
    private readonly network: Network,
    private readonly engine: Engine,
    private readonly clock: Clock,
  ) {}

  /** Every source that has series or has been asked something. */
  sources(): SourceHealth[] {
    const now = this.clock.now();
    const ids = new Set([...this.store.series.list().map((s) => s.source), ...this.store.requests.sources()]);
    const network = new Map(this.network.snapshot().map((n) => [n.source, n]));
    return [...ids].sort().map((source) =>
      computeSourceHealth({
        source,
        now,
        outcomes: this.store.requests.since(source, now - HOUR),
        lastSuccess: this.store.requests.latest(source, ['ok']),
        lastError: this.store.requests.latest(source, [
          'server_error',
          'network',
          'timeout',
          'malformed',
          'rate_limited',
          'banned',
          'rejected',
        ]),
        budget: this.network.budgetOf(source)?.snapshot() ?? null,
        breaker: network.get(source)?.breaker ?? null,
        hosts: (network.get(source)?.hosts ?? []).map((h) => ({ url: h.url, healthy: h.healthy })),
        stream: this.stream(source, now),
      }),
    );
  }

  /** A source's stream, with its message rate over the last few seconds (message-rate.ts). */
  private stream(source: string, now: number): StreamHealth | null {
    const stats = this.engine.streamStats(source);
    if (!stats) return null;
    const messagesPerSec = this.messageRate.look(source, now, stats.messages);
    return {
      state: stats.state,
      connections: stats.connections,
      streams: stats.streams,
      messagesPerSec,
      reconnects: stats.reconnects,
      lastMessageAt: stats.lastMessageAt,
    };
  }

  freshness(series: Series, lastTs: number | null, now = this.clock.now()): SeriesFreshness {
    const edge = liveEdge(series, now, this.engine.config.tail);
    // Time the market was closed (or the source had nothing) after the last candle is not "behind".
    const from =
      lastTs === null ? series.startTs : afterSettled(this.store, series, nextOpen(series.timeframe, lastTs), edge);
    return {
      seriesId: series.id,
      candlesBehind: from < edge ? candleCount(series.timeframe, from, edge) : 0,
      ageMs: lastTs === null ? null : Math.max(0, now - nextOpen(series.timeframe, lastTs)),
    };
  }

  /** Stored / expected since keep-from, not counting time the source is known to have nothing for. */
  completeness(s: SeriesSummary, now = this.clock.now()): number | null {
    const edge = liveEdge(s, now, this.engine.config.tail);
    if (edge <= s.startTs) return null;
    const expected = candleCount(s.timeframe, s.startTs, edge);
    const settled = this.store.holes
      .overlapping(s.id, s.startTs, edge)
      .filter((h) => h.state !== 'open')
      .reduce((n, h) => n + candleCount(s.timeframe, Math.max(h.fromTs, s.startTs), Math.min(h.toTs, edge)), 0);
    const denominator = expected - settled;
    return denominator > 0 ? Math.min(1, s.candleCount / denominator) : null;
  }

  seriesViews(): SeriesView[] {
    const now = this.clock.now();
    const failing = new Map(
      this.engine
        .jobList()
        .filter((j) => j.state === 'failed')
        .map((j) => [j.seriesId, j.error]),
    );
    return this.store.series.summaries().map((s) => ({
      ...s,
      freshness: this.freshness(s, s.lastTs, now),
      completeness: this.completeness(s, now),
      lastError: failing.get(s.id) ?? null,
    }));
  }

  status(activeAlerts: number, staleThreshold = 3): EngineStatusView {
    const sources = this.sources();
    const series = this.store.series.summaries().filter((s) => s.enabled);
    const now = this.clock.now();
    const behind = series.map((s) => this.freshness(s, s.lastTs, now).candlesBehind);
    let health: OverallHealth = 'ok';
    if (sources.some((s) => s.status === 'degraded') || behind.some((b) => b >= staleThreshold)) health = 'degraded';
    if (sources.some((s) => s.status === 'down' || s.status === 'banned')) health = 'down';
    return {
      state: this.engine.currentState,
      health,
      seriesTotal: series.length,
      seriesUpToDate: behind.filter((b) => b <= 1).length,
      openHoles: series.reduce((n, s) => n + s.openHoles, 0),
      queueDepth: this.engine.queueDepth(),
      activeAlerts,
    };
  }
}
