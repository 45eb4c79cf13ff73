/**
 * The process's outbound network state: one budget per budget key, one host pool and one circuit
 * breaker per source, shared by every series, job and source object created against it. Sources get
 * their SourceHttp from here; the health view reads its snapshots.
 */
import type { Clock } from './clock.js';
import { BudgetRegistry, type BudgetConfig } from './budget.js';
import { CircuitBreaker, DEFAULT_BREAKER, type BreakerConfig } from './circuit-breaker.js';
import { HostPool } from './host-pool.js';
import { SourceHttp, type RateLimitNotice, type RequestOutcome } from './source-http.js';
import { httpGet, type HttpResponse } from './http-client.js';
import type { SourceError } from '../errors.js';

export interface NetworkListeners {
  onRequest?: (outcome: RequestOutcome) => void;
  onRateLimit?: (notice: RateLimitNotice) => void;
}

export interface SourceHttpSpec {
  source: string;
  /** Requests counted together by the server (e.g. 'binance': weight is per IP across its hosts). */
  budgetKey: string;
  budget: BudgetConfig;
  hosts: string[];
  /** Path answered cheaply when a host is up again (e.g. /api/v3/ping). */
  probePath?: string;
  probeWeight?: number;
  usedWeightHeader?: string;
  toError: (res: HttpResponse) => SourceError;
  headers?: () => Record<string, string>;
  timeoutMs?: number;
  breaker?: BreakerConfig;
}

export class Network {
  readonly budgets: BudgetRegistry;
  private readonly pools = new Map<string, HostPool>();
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly listeners: NetworkListeners[] = [];
  private readonly configuredLimits = new Map<string, { limit: number; windowMs: number }>();
  /** Which budget each source spends from (for the health view). */
  private readonly budgetKeys = new Map<string, string>();
  /** Flags for once-per-process work (e.g. reading a source's published limits). */
  readonly done = new Set<string>();
  private budgetShare = 1;

  constructor(
    readonly clock: Clock,
    listeners: NetworkListeners = {},
  ) {
    this.budgets = new BudgetRegistry(clock);
    this.listeners.push(listeners);
  }

  /** Add listeners (the request log, alerting); returns the function that removes them. */
  listen(listeners: NetworkListeners): () => void {
    this.listeners.push(listeners);
    return () => this.listeners.splice(this.listeners.indexOf(listeners), 1);
  }

  /** Every budget of this process, now and later, spends at most this share (a fleet's egress group). */
  setBudgetShare(share: number): void {
    this.budgetShare = share;
    for (const budget of this.budgets.all()) budget.setShare(share);
  }

  http(spec: SourceHttpSpec): SourceHttp {
    const budget = this.budgets.get(spec.budgetKey, spec.budget);
    budget.setShare(this.budgetShare);
    // A changed configuration (settings) re-sets the limit; otherwise what the server published stays.
    const configured = this.configuredLimits.get(spec.budgetKey);
    if (configured && (configured.limit !== spec.budget.limit || configured.windowMs !== spec.budget.windowMs))
      budget.setLimit(spec.budget.limit, spec.budget.windowMs);
    this.configuredLimits.set(spec.budgetKey, spec.budget);
    this.budgetKeys.set(spec.source, spec.budgetKey);
    const poolKey = `${spec.source} ${spec.hosts.join(',')}`;
    let pool = this.pools.get(poolKey);
    if (!pool) {
      const probePath = spec.probePath;
      pool = new HostPool(spec.hosts, this.clock, {
        probe: probePath
          ? async (url) => {
              await budget.acquire(spec.probeWeight ?? 1, 0);
              const res = await httpGet(`${url}${probePath}`, { timeoutMs: spec.timeoutMs ?? 15_000 });
              return res.status >= 200 && res.status < 300;
            }
          : undefined,
      });
      this.pools.set(poolKey, pool);
    }
    let breaker = this.breakers.get(spec.source);
    if (!breaker) {
      breaker = new CircuitBreaker(spec.breaker ?? DEFAULT_BREAKER);
      this.breakers.set(spec.source, breaker);
    }
    return new SourceHttp({
      source: spec.source,
      clock: this.clock,
      pool,
      budget,
      breaker,
      timeoutMs: spec.timeoutMs,
      headers: spec.headers,
      usedWeightHeader: spec.usedWeightHeader,
      toError: spec.toError,
      onRequest: (o) => this.listeners.forEach((l) => l.onRequest?.(o)),
      onRateLimit: (n) => this.listeners.forEach((l) => l.onRateLimit?.(n)),
    });
  }

  /** The budget a source spends from, once it has made a request object (null before). */
  budgetOf(source: string): ReturnType<BudgetRegistry['get']> | null {
    const key = this.budgetKeys.get(source);
    return key ? (this.budgets.all().find((b) => b.key === key) ?? null) : null;
  }

  /** Per-source resilience state for the health view. */
  snapshot(): Array<{ source: string; breaker: CircuitBreaker['current']; hosts: ReturnType<HostPool['snapshot']> }> {
    return [...this.breakers.entries()].map(([source, breaker]) => ({
      source,
      breaker: breaker.current,
      hosts: [...this.pools.entries()].filter(([k]) => k.startsWith(`${source} `)).flatMap(([, p]) => p.snapshot()),
    }));
  }

  stop(): void {
    for (const pool of this.pools.values()) pool.stop();
  }
}
