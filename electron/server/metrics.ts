/**
 * /metrics in the Prometheus text exposition format (version 0.0.4): request counters kept in
 * memory since start (monotonic, as counters must be), gauges read at scrape time.
 */
import type { RequestOutcome } from '../net/source-http.js';
import type { SourceHealth, EngineStatusView } from '../../shared/health.js';
import type { SeriesView } from '../../shared/contract.js';
import { SLO_TARGETS, type SloReport } from '../../shared/history.js';
import type { FleetStatus } from '../../shared/fleet.js';

export class RequestCounters {
  readonly requests = new Map<string, number>();

  record(o: RequestOutcome): void {
    const key = `${o.source}\u0000${o.outcome}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }
}

/** Requests the server refused, by reason (bad_host, bad_origin, missing_token, wrong_role…). */
export class RefusalCounters {
  readonly byReason = new Map<string, number>();

  record(reason: string): void {
    this.byReason.set(reason, (this.byReason.get(reason) ?? 0) + 1);
  }
}

export interface MetricsInput {
  counters: RequestCounters;
  /** The main event loop's delays (loop-delay.ts). */
  loopDelay?: { bounds: number[]; counts: number[]; sumMs: number };
  /** Where the server's heavy reads ran (reads.ts), and how many read threads run now. */
  reads?: { served: { worker: number; loop: number }; threads: number };
  refusals: RefusalCounters;
  candlesStored: number;
  sources: SourceHealth[];
  series: SeriesView[];
  status: EngineStatusView;
  /** The SLOs over 24 hours and 7 days (absent: not exposed). */
  slo?: SloReport;
  /** The collectors sharing this PostgreSQL database (absent or null: no fleet). */
  fleet?: FleetStatus;
}

const escape = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labels = (l: Record<string, string>): string =>
  `{${Object.entries(l)
    .map(([k, v]) => `${k}="${escape(v)}"`)
    .join(',')}}`;

class Exposition {
  private lines: string[] = [];
  family(
    name: string,
    type: 'counter' | 'gauge',
    help: string,
    samples: Array<[Record<string, string>, number]>,
  ): void {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [l, value] of samples)
      this.lines.push(`${name}${Object.keys(l).length ? labels(l) : ''} ${Number.isFinite(value) ? value : 0}`);
  }
  /** Cumulative buckets, as Prometheus histograms are: each `le` counts every sample at or below it. */
  histogram(name: string, help: string, bounds: number[], counts: number[], sum: number): void {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`);
    let total = 0;
    bounds.forEach((bound, i) => {
      total += counts[i] ?? 0;
      this.lines.push(`${name}_bucket{le="${bound}"} ${total}`);
    });
    total += counts[bounds.length] ?? 0;
    this.lines.push(`${name}_bucket{le="+Inf"} ${total}`, `${name}_sum ${sum}`, `${name}_count ${total}`);
  }
  text(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

const FAILED = new Set(['server_error', 'network', 'timeout', 'malformed', 'rate_limited', 'banned']);

function renderFleet(out: Exposition, collectors: NonNullable<FleetStatus['collectors']>): void {
  const collector = (c: { name: string }): Record<string, string> => ({ collector: c.name });
  out.family(
    'candlekeep_fleet_collector_up',
    'gauge',
    'Per collector of the fleet: 1 while its heartbeat is within its lease timeout.',
    collectors.map((c) => [collector(c), c.alive ? 1 : 0]),
  );
  out.family(
    'candlekeep_fleet_collector_info',
    'gauge',
    'Per collector: its version, egress group and host, as labels (value 1).',
    collectors.map((c) => [{ collector: c.name, version: c.version, egress: c.egress, host: c.host }, 1]),
  );
  out.family(
    'candlekeep_fleet_heartbeat_age_seconds',
    'gauge',
    'Per running collector: seconds since its last heartbeat (stopped collectors have no sample).',
    collectors.filter((c) => c.heartbeatAgeMs !== null).map((c) => [collector(c), c.heartbeatAgeMs! / 1000]),
  );
  out.family(
    'candlekeep_fleet_leases',
    'gauge',
    'Per collector: series it holds an unexpired lease on.',
    collectors.map((c) => [collector(c), c.leases]),
  );
  out.family(
    'candlekeep_fleet_budget_used',
    'gauge',
    'Per collector and budget: weight it spent in the last window.',
    collectors.flatMap((c) =>
      c.budget.map((b): [Record<string, string>, number] => [{ collector: c.name, budget: b.key }, b.used]),
    ),
  );
  out.family(
    'candlekeep_fleet_budget_limit',
    'gauge',
    "Per collector and budget: its share of the egress group's limit per window.",
    collectors.flatMap((c) =>
      c.budget.map((b): [Record<string, string>, number] => [{ collector: c.name, budget: b.key }, b.limit]),
    ),
  );
}

export function renderMetrics(m: MetricsInput): string {
  const out = new Exposition();
  const byOutcome = [...m.counters.requests.entries()].map(([k, n]) => {
    const [source, outcome] = k.split('\u0000') as [string, string];
    return { source, outcome, n };
  });
  out.family(
    'candlekeep_requests_total',
    'counter',
    'HTTP requests to market-data sources, by outcome.',
    byOutcome.map((r) => [{ source: r.source, outcome: r.outcome }, r.n]),
  );
  const errors = new Map<string, number>();
  const limited = new Map<string, number>();
  for (const r of byOutcome) {
    if (FAILED.has(r.outcome)) errors.set(r.source, (errors.get(r.source) ?? 0) + r.n);
    if (r.outcome === 'rate_limited' || r.outcome === 'banned')
      limited.set(r.source, (limited.get(r.source) ?? 0) + r.n);
  }
  out.family(
    'candlekeep_request_errors_total',
    'counter',
    'Failed requests (network, timeouts, 5xx, malformed bodies, 429, 418).',
    [...errors].map(([source, n]) => [{ source }, n]),
  );
  out.family(
    'candlekeep_rate_limited_total',
    'counter',
    '429 and 418 answers received.',
    [...limited].map(([source, n]) => [{ source }, n]),
  );
  out.family(
    'candlekeep_budget_used',
    'gauge',
    'Request weight spent in the current budget window.',
    m.sources.map((s) => [{ source: s.source }, s.budgetUsed]),
  );
  out.family(
    'candlekeep_budget_limit',
    'gauge',
    'Request weight allowed per budget window.',
    m.sources.map((s) => [{ source: s.source }, s.budgetLimit]),
  );
  out.family(
    'candlekeep_source_up',
    'gauge',
    '1 unless the source is down or has banned this IP.',
    m.sources.map((s) => [{ source: s.source }, s.status === 'down' || s.status === 'banned' ? 0 : 1]),
  );
  out.family('candlekeep_candles_stored_total', 'counter', 'Candles written (new or changed) since start.', [
    [{}, m.candlesStored],
  ]);
  const seriesLabel = (s: SeriesView): Record<string, string> => ({
    source: s.source,
    symbol: s.symbol,
    timeframe: s.timeframe,
  });
  out.family(
    'candlekeep_series_candles',
    'gauge',
    'Candles stored per series.',
    m.series.map((s) => [seriesLabel(s), s.candleCount]),
  );
  out.family(
    'candlekeep_holes_open',
    'gauge',
    'Holes still to repair per series.',
    m.series.map((s) => [seriesLabel(s), s.openHoles]),
  );
  out.family(
    'candlekeep_series_freshness_seconds',
    'gauge',
    'Seconds since the newest stored candle closed.',
    m.series.filter((s) => s.freshness.ageMs !== null).map((s) => [seriesLabel(s), s.freshness.ageMs! / 1000]),
  );
  out.family(
    'candlekeep_series_candles_behind',
    'gauge',
    'Closed candles not stored yet at the live edge.',
    m.series.map((s) => [seriesLabel(s), s.freshness.candlesBehind]),
  );
  out.family('candlekeep_job_queue_depth', 'gauge', 'Jobs queued or running.', [[{}, m.status.queueDepth]]);
  out.family('candlekeep_alerts_active', 'gauge', 'Alerts currently active.', [[{}, m.status.activeAlerts]]);
  out.family(
    'candlekeep_refused_requests_total',
    'counter',
    'Requests to this server refused, by reason.',
    [...m.refusals.byReason].map(([reason, n]) => [{ reason }, n]),
  );
  out.family('candlekeep_engine_running', 'gauge', '1 while the engine runs (0 paused or stopped).', [
    [{}, m.status.state === 'running' ? 1 : 0],
  ]);
  if (m.fleet?.collectors) renderFleet(out, m.fleet.collectors);
  if (m.slo) {
    const slo = m.slo;
    // Ratios as 0..1 and times in seconds, as Prometheus conventions ask; a window with no hole to recover has no sample.
    const value = (v: number | null, unit: 'ratio' | 'ms'): number | null =>
      v === null ? null : unit === 'ms' ? v / 1000 : v;
    const samples: Array<[Record<string, string>, number]> = [];
    const targets: Array<[Record<string, string>, number]> = [];
    for (const t of SLO_TARGETS) {
      const name =
        t.unit === 'ms'
          ? 'response_seconds_avg'
          : t.key === 'apiSuccess'
            ? 'api_success'
            : t.key === 'gapRecovery'
              ? 'gap_recovery'
              : 'completeness';
      for (const window of ['24h', '7d'] as const) {
        const v = value(slo.windows[window][t.key], t.unit);
        if (v !== null) samples.push([{ slo: name, window }, v]);
      }
      targets.push([{ slo: name }, t.unit === 'ms' ? t.target / 1000 : t.target]);
    }
    out.family(
      'candlekeep_slo',
      'gauge',
      'Service-level indicators: api_success, completeness, gap_recovery (0..1) and response_seconds_avg, over 24h and 7d.',
      samples,
    );
    out.family(
      'candlekeep_slo_target',
      'gauge',
      'The target of each SLO (api_success, completeness, gap_recovery: at least; response_seconds_avg: below).',
      targets,
    );
  }
  if (m.loopDelay) {
    const { bounds, counts, sumMs } = m.loopDelay;
    out.histogram(
      'candlekeep_event_loop_delay_seconds',
      "How late timers on the main event loop (the engine's) fired, sampled every 10 ms.",
      bounds.map((b) => b / 1000),
      counts,
      sumMs / 1000,
    );
  }
  if (m.reads) {
    out.family(
      'candlekeep_reads_total',
      'counter',
      'Candle API answers, exports, chart buckets and gap maps served, by thread.',
      [
        [{ thread: 'worker' }, m.reads.served.worker],
        [{ thread: 'main' }, m.reads.served.loop],
      ],
    );
    out.family('candlekeep_read_workers', 'gauge', 'Read worker threads running (0: reads run on the main thread).', [
      [{}, m.reads.threads],
    ]);
  }
  return out.text();
}
