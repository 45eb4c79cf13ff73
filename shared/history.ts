/**
 * Health over time: what the history channels answer, the service-level objectives and how each is
 * computed from counts. The soak report and the dashboard's SLOs use these same formulas, so the two
 * agree on the same run.
 */

export type HistoryRange = '1h' | '24h' | '7d' | '90d';
export const HISTORY_RANGES: readonly HistoryRange[] = ['1h', '24h', '7d', '90d'];

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** How long each range is, and how wide its points are (minute rows for a day at most, hourly rows beyond). */
export const RANGE_SPEC: Record<HistoryRange, { spanMs: number; stepMs: number; grain: 'minute' | 'hour' }> = {
  '1h': { spanMs: HOUR, stepMs: MINUTE, grain: 'minute' },
  '24h': { spanMs: DAY, stepMs: 15 * MINUTE, grain: 'minute' },
  '7d': { spanMs: 7 * DAY, stepMs: 2 * HOUR, grain: 'hour' },
  '90d': { spanMs: 90 * DAY, stepMs: DAY, grain: 'hour' },
};

/** Upper edges (ms) of the latency histogram's buckets; the last bucket is open-ended. */
export const LATENCY_EDGES_MS: readonly number[] = [25, 50, 100, 250, 500, 1000, 2000, 5000, 10_000];
export const LATENCY_BUCKETS = LATENCY_EDGES_MS.length + 1;

/** The bucket a response time falls in. */
export function latencyBucket(ms: number): number {
  const i = LATENCY_EDGES_MS.findIndex((edge) => ms < edge);
  return i === -1 ? LATENCY_EDGES_MS.length : i;
}

/**
 * The p-th percentile (0 < p ≤ 100) of a latency histogram: the upper edge of the bucket holding that
 * rank (the open last bucket answers its lower edge), null with no timed request.
 */
export function histogramPercentile(counts: readonly number[], p: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (!total) return null;
  const rank = Math.ceil((p / 100) * total);
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i]!;
    if (seen >= rank) return LATENCY_EDGES_MS[Math.min(i, LATENCY_EDGES_MS.length - 1)]!;
  }
  return LATENCY_EDGES_MS.at(-1)!;
}

/** Share of requests answered `ok` at the first try (every request counts; no request: 1). */
export function apiSuccessRate(ok: number, requests: number): number {
  return requests ? ok / requests : 1;
}

/** Mean response time of the requests that got an answer (a status), in ms; 0 when none did. */
export function meanResponseMs(latencySum: number, timed: number): number {
  return timed ? latencySum / timed : 0;
}

/** Holes repaired over holes that had data to repair (settled-as-empty ones do not count); null: none. */
export function gapRecoveryRate(repaired: number, recoverable: number): number | null {
  return recoverable ? repaired / recoverable : null;
}

/** Stored candles over expected ones (settled time not expected); 1 when nothing was expected. */
export function completenessRate(stored: number, expected: number): number {
  return expected ? Math.min(1, stored / expected) : 1;
}

export type SloKey = 'apiSuccess' | 'completeness' | 'gapRecovery' | 'responseMs';

export interface SloTarget {
  key: SloKey;
  label: string;
  /** at least: the value must be ≥ target; at most: the value must be < target. */
  kind: 'at_least' | 'below';
  target: number;
  unit: 'ratio' | 'ms';
}

/** The targets Candlekeep is built to: API success ≥ 99%, completeness 100%, gap recovery ≥ 95%, average response < 2 s. */
export const SLO_TARGETS: readonly SloTarget[] = [
  { key: 'apiSuccess', label: 'API success', kind: 'at_least', target: 0.99, unit: 'ratio' },
  { key: 'completeness', label: 'Completeness', kind: 'at_least', target: 1, unit: 'ratio' },
  { key: 'gapRecovery', label: 'Gap recovery', kind: 'at_least', target: 0.95, unit: 'ratio' },
  { key: 'responseMs', label: 'Average response', kind: 'below', target: 2000, unit: 'ms' },
];

/** Whether a value meets its target (null: no data, which meets it). */
export function sloMet(t: SloTarget, value: number | null): boolean {
  if (value === null) return true;
  return t.kind === 'at_least' ? value >= t.target : value < t.target;
}

export interface SloValues {
  apiSuccess: number;
  completeness: number;
  gapRecovery: number | null;
  responseMs: number;
  /** The counts behind them, for a reader who wants to check. */
  requests: number;
  holesRecoverable: number;
  holesRepaired: number;
}

/** An SLO's value to show: null where it has nothing to go on (no request, no hole), rather than a perfect score. */
export function sloShown(values: SloValues, key: SloKey): number | null {
  if ((key === 'apiSuccess' || key === 'responseMs') && values.requests === 0) return null;
  return values[key];
}

export interface SloReport {
  at: number;
  windows: { '24h': SloValues; '7d': SloValues };
}

/** One bucket of a source's requests: counts per outcome, latency and weight. */
export interface RequestBucket {
  at: number;
  requests: number;
  ok: number;
  rateLimited: number;
  banned: number;
  /** Failed requests by outcome (server_error, network, timeout, malformed, rejected). */
  errors: Record<string, number>;
  weight: number;
  successRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  meanMs: number | null;
}

export interface SourceHistory {
  source: string;
  range: HistoryRange;
  from: number;
  to: number;
  stepMs: number;
  buckets: RequestBucket[];
  /** Per host over the whole range. */
  hosts: Array<{ host: string; requests: number; successRate: number | null; p95Ms: number | null }>;
  /** The budget's limit per window and the window, to draw weight spent against. */
  budget: { limit: number; windowMs: number } | null;
  circuitChanges: Array<{ at: number; state: string }>;
  totals: {
    requests: number;
    successRate: number | null;
    p50Ms: number | null;
    p95Ms: number | null;
    rateLimited: number;
    banned: number;
    errors: Record<string, number>;
  };
}

/** The last 60 minutes of a source, for its overview tile. */
export interface SourceHeartbeat {
  source: string;
  buckets: Array<{ at: number; requests: number; successRate: number | null; p95Ms: number | null }>;
}

export interface SeriesHistoryPoint {
  at: number;
  completeness: number | null;
  lagMs: number;
}

export interface SeriesHistory {
  seriesId: number;
  range: HistoryRange;
  from: number;
  to: number;
  points: SeriesHistoryPoint[];
  /** Per day: holes opened, repaired, settled (no data there). */
  holesByDay: Array<{ day: number; opened: number; repaired: number; settled: number }>;
}

export interface HistoryOverview {
  at: number;
  heartbeats: SourceHeartbeat[];
  slo: SloReport;
}
