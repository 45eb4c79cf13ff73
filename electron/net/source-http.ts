/**
 * Every HTTP request a source makes goes through here: pick a host from the pool, pass the circuit
 * breaker, spend the request's weight from the shared budget, send with a timeout, then account for
 * the outcome (server weight counter, Retry-After, host and breaker health, the request log).
 * It never retries: retrying is the caller's decision (see retry.ts).
 */
import type { Clock } from './clock.js';
import { httpGet, NetworkError, type HttpResponse } from './http-client.js';
import type { WeightBudget } from './budget.js';
import { PRIORITY } from './budget.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { HostPool } from './host-pool.js';
import { SourceError } from '../errors.js';

export type RequestOutcomeKind =
  'ok' | 'rejected' | 'server_error' | 'network' | 'timeout' | 'malformed' | 'rate_limited' | 'banned';

/** One request as the health view and the request log see it. Never carries headers or keys. */
export interface RequestOutcome {
  source: string;
  host: string;
  at: number;
  durationMs: number;
  status: number | null;
  outcome: RequestOutcomeKind;
  weight: number;
  error: string | null;
}

export interface RateLimitNotice {
  source: string;
  host: string;
  status: 429 | 418;
  until: number;
  message: string;
}

export interface SourceHttpOptions {
  source: string;
  clock: Clock;
  pool: HostPool;
  budget: WeightBudget;
  breaker: CircuitBreaker;
  timeoutMs?: number;
  /** Headers sent with every request (API keys live here; they are never logged). */
  headers?: () => Record<string, string>;
  /** Name of the response header carrying the server's used-weight counter. */
  usedWeightHeader?: string;
  /** Translate a non-2xx response into a SourceError with the server's message. */
  toError: (res: HttpResponse) => SourceError;
  onRequest?: (outcome: RequestOutcome) => void;
  onRateLimit?: (notice: RateLimitNotice) => void;
}

export interface RequestOptions {
  weight: number;
  priority?: number;
  signal?: AbortSignal;
}

function header(res: HttpResponse, name: string): string | undefined {
  const value = res.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export class SourceHttp {
  constructor(private readonly o: SourceHttpOptions) {}

  /** Requests on the wire or being read right now, across every SourceHttp of the process (for idle detection). */
  static inFlight = 0;

  get budget(): WeightBudget {
    return this.o.budget;
  }

  get pool(): HostPool {
    return this.o.pool;
  }

  get breaker(): CircuitBreaker {
    return this.o.breaker;
  }

  /**
   * GET `path` from one of the source's hosts and hand the 2xx response to `interpret`, which turns
   * it into a result or throws a SourceError (a malformed body counts as a failure of the host).
   */
  async request<T>(
    path: string,
    options: RequestOptions,
    interpret: (res: HttpResponse) => T | Promise<T>,
  ): Promise<T> {
    const { clock, pool, budget, breaker } = this.o;
    if (pool.allDown()) {
      const next = pool.nextProbeAt() ?? clock.now() + 1_000;
      throw new SourceError(
        `no ${this.o.source} host is reachable; next probe ${new Date(next).toISOString()}`,
        'unavailable',
        undefined,
        Math.max(1, Math.ceil((next - clock.now()) / 1000)),
      );
    }
    const waitUntil = breaker.admit(clock.now());
    if (waitUntil !== null) {
      throw new SourceError(
        `${this.o.source} is failing; its circuit is open until ${new Date(waitUntil).toISOString()}`,
        'unavailable',
        undefined,
        Math.max(1, Math.ceil((waitUntil - clock.now()) / 1000)),
      );
    }
    await budget.acquire(options.weight, options.priority ?? PRIORITY.backfill, options.signal);
    const host = pool.pick();
    const started = clock.now();
    const record = (
      status: number | null,
      outcome: RequestOutcomeKind,
      error: string | null,
      durationMs: number,
    ): void =>
      this.o.onRequest?.({
        source: this.o.source,
        host,
        at: started,
        durationMs,
        status,
        outcome,
        weight: options.weight,
        error,
      });

    // Counted until the answer is interpreted: a page read on a worker thread is still work in hand.
    SourceHttp.inFlight++;
    try {
      return await this.exchange(path, host, started, options, record, interpret);
    } finally {
      SourceHttp.inFlight--;
    }
  }

  /** Send the request to `host` and account for its answer (see `request`). */
  private async exchange<T>(
    path: string,
    host: string,
    started: number,
    options: RequestOptions,
    record: (status: number | null, outcome: RequestOutcomeKind, error: string | null, durationMs: number) => void,
    interpret: (res: HttpResponse) => T | Promise<T>,
  ): Promise<T> {
    const { clock, pool, budget, breaker } = this.o;
    let res: HttpResponse;
    try {
      res = await httpGet(`${host}${path}`, {
        timeoutMs: this.o.timeoutMs ?? 15_000,
        signal: options.signal,
        headers: this.o.headers?.(),
      });
    } catch (err) {
      if (!(err instanceof NetworkError)) throw err;
      if (err.code === 'aborted') throw new SourceError('request cancelled', 'unavailable');
      pool.unreachable(host);
      breaker.failure(clock.now());
      record(null, err.code === 'timeout' ? 'timeout' : 'network', err.message, clock.now() - started);
      throw new SourceError(`${this.o.source} unreachable: ${err.message}`, 'unavailable');
    }

    const used = this.o.usedWeightHeader ? header(res, this.o.usedWeightHeader) : undefined;
    if (used !== undefined && /^\d+$/.test(used)) budget.observeServerUsed(Number(used));

    if (res.status < 200 || res.status >= 300) {
      const error = this.o.toError(res);
      if (res.status === 429 || res.status === 418) {
        const until = clock.now() + (error.retryAfterSec ?? 60) * 1000;
        budget.pauseUntil(until);
        this.o.onRateLimit?.({ source: this.o.source, host, status: res.status, until, message: error.message });
        record(res.status, res.status === 418 ? 'banned' : 'rate_limited', error.message, res.durationMs);
      } else if (res.status >= 500) {
        pool.failure(host);
        breaker.failure(clock.now());
        record(res.status, 'server_error', error.message, res.durationMs);
      } else {
        breaker.success();
        record(res.status, 'rejected', error.message, res.durationMs);
      }
      throw error;
    }
    try {
      const result = await interpret(res);
      pool.success(host);
      breaker.success();
      record(res.status, 'ok', null, res.durationMs);
      return result;
    } catch (err) {
      if (err instanceof SourceError && err.kind === 'malformed') {
        pool.failure(host);
        breaker.failure(clock.now());
        record(res.status, 'malformed', err.message, res.durationMs);
      }
      throw err;
    }
  }
}
