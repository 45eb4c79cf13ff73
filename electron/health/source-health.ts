/**
 * A source's health from its request log over rolling windows, plus its budget, breaker and hosts.
 * The status is a pure function with a table of cases in its test.
 */
import type { RequestOutcome } from '../net/source-http.js';
import type { BudgetSnapshot } from '../net/budget.js';
import type { BreakerState } from '../net/circuit-breaker.js';
import type { CircuitState, SourceHealth, SourceStatus, StreamHealth } from '../../shared/health.js';

export const WINDOW_5M = 5 * 60_000;

export interface StatusInputs {
  now: number;
  requests: number;
  successes: number;
  /** A 429 or 418 in the last 5 minutes. */
  rateLimited: boolean;
  banned: boolean;
  retryAfterUntil: number | null;
  circuit: CircuitState;
  hostsDown: number;
  hostsTotal: number;
}

/** ok → degraded → down; banned while a ban runs; idle when nothing was asked of it lately. */
export function sourceStatus(i: StatusInputs): SourceStatus {
  if (i.banned && i.retryAfterUntil !== null && i.retryAfterUntil > i.now) return 'banned';
  if (i.circuit === 'open' || (i.hostsTotal > 0 && i.hostsDown === i.hostsTotal)) return 'down';
  if (i.requests >= 3 && i.successes === 0) return 'down';
  if (i.requests === 0) return i.circuit === 'half_open' ? 'degraded' : 'idle';
  const rate = i.successes / i.requests;
  if (rate < 0.9 || i.rateLimited || i.circuit === 'half_open' || i.hostsDown > 0 || (i.retryAfterUntil ?? 0) > i.now)
    return 'degraded';
  return 'ok';
}

function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export interface HealthInputs {
  source: string;
  now: number;
  /** Outcomes of the last hour, oldest first. */
  outcomes: RequestOutcome[];
  lastSuccess: RequestOutcome | null;
  lastError: RequestOutcome | null;
  budget: BudgetSnapshot | null;
  breaker: BreakerState | null;
  hosts: Array<{ url: string; healthy: boolean }>;
  stream?: StreamHealth | null;
}

const FAILED = new Set(['server_error', 'network', 'timeout', 'malformed', 'rate_limited', 'banned']);

export function computeSourceHealth(h: HealthInputs): SourceHealth {
  const recent = h.outcomes.filter((o) => o.at >= h.now - WINDOW_5M);
  const successes = recent.filter((o) => o.outcome === 'ok' || o.outcome === 'rejected').length;
  const errors = recent.filter((o) => FAILED.has(o.outcome)).length;
  const latencies = recent
    .filter((o) => o.outcome === 'ok')
    .map((o) => o.durationMs)
    .sort((a, b) => a - b);
  const circuit: CircuitState = h.breaker?.kind ?? 'closed';
  const lastLimit = [...h.outcomes].reverse().find((o) => o.outcome === 'rate_limited' || o.outcome === 'banned');
  const retryAfterUntil = h.budget?.pausedUntil ?? null;
  return {
    source: h.source,
    status: sourceStatus({
      now: h.now,
      requests: recent.length,
      successes,
      rateLimited: recent.some((o) => o.outcome === 'rate_limited' || o.outcome === 'banned'),
      banned: lastLimit?.outcome === 'banned',
      retryAfterUntil,
      circuit,
      hostsDown: h.hosts.filter((x) => !x.healthy).length,
      hostsTotal: h.hosts.length,
    }),
    successRate: recent.length ? successes / recent.length : null,
    requests5m: recent.length,
    errors5m: errors,
    rateLimited1h: h.outcomes.filter((o) => o.outcome === 'rate_limited' || o.outcome === 'banned').length,
    latencyP50Ms: percentile(latencies, 50),
    latencyP95Ms: percentile(latencies, 95),
    budgetUsed: h.budget?.used ?? 0,
    budgetLimit: h.budget?.limit ?? 0,
    budgetWindowMs: h.budget?.windowMs ?? 0,
    budgetExternal: h.budget?.external ?? 0,
    lastSuccessAt: h.lastSuccess?.at ?? null,
    lastError: h.lastError ? { at: h.lastError.at, message: h.lastError.error ?? `HTTP ${h.lastError.status}` } : null,
    circuit,
    retryAfterUntil: retryAfterUntil && retryAfterUntil > h.now ? retryAfterUntil : null,
    hosts: h.hosts,
    stream: h.stream ?? null,
  };
}
