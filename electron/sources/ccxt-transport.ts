/**
 * The HTTP transport we give ccxt (its `fetchImplementation` hook): each request ccxt makes is sent
 * through our SourceHttp for its origin, so our per-source budget, Retry-After pauses, circuit
 * breaker and request log govern ccxt exactly as they govern our own adapters. A non-2xx answer is
 * accounted by SourceHttp, then handed back to ccxt as a Response so ccxt maps the exchange's error
 * body to its error class; a 2xx body that is not JSON is `malformed` (retried, never parsed).
 */
import { STATUS_CODES } from 'node:http';
import type { AsyncLocalStorage } from 'node:async_hooks';
import type { HttpResponse } from '../net/http-client.js';
import type { Network } from '../net/network.js';
import type { SourceHttp } from '../net/source-http.js';
import { errorBodyText } from './error-body.js';
import { SourceError } from './source.js';

/** What one fetchWindow call carries down to the transport (ccxt's API has no room for it). */
export interface CallContext {
  signal?: AbortSignal;
  priority?: number;
  /** HTTP requests sent for this call. */
  requests: number;
  /** The last non-2xx answer, as our HTTP layer classified it. */
  httpError?: SourceError;
}

/** A non-2xx answer, kept whole so ccxt can read the exchange's error body. */
class ExchangeHttpError extends SourceError {
  constructor(
    readonly response: HttpResponse,
    source: string,
    retryAfterSec: number | undefined,
  ) {
    const status = response.status;
    const kind = status === 429 || status === 418 ? 'rate_limited' : status >= 500 ? 'unavailable' : 'rejected';
    super(`${source} answered HTTP ${status}: ${errorBodyText(response.body)}`, kind, status, retryAfterSec);
  }
}

export interface CcxtTransportOptions {
  source: string;
  network: Network;
  callsPerMinute: number;
  timeoutMs: number;
  calls: AsyncLocalStorage<CallContext>;
  /**
   * A venue that also has a native source here (Binance): its limits are per IP, so ccxt's calls
   * spend the native source's budget, at the venue's weights, and read its used-weight header. Two
   * budgets on one IP would each think the other's requests free, and a 429 told to one would not
   * stop the other: the venue bans the IP for that.
   */
  sharedBudget?: SharedBudget;
}

export interface SharedBudget {
  budgetKey: string;
  budget: { limit: number; windowMs: number };
  usedWeightHeader: string;
  /** The weight of a request to this path. */
  weight(path: string): number;
}

/** ccxt's exchanges identify themselves; we send a fixed agent (no client fingerprinting beyond it). */
const USER_AGENT = 'candlekeep (+ccxt)';

export class CcxtTransport {
  private readonly byOrigin = new Map<string, SourceHttp>();

  constructor(private readonly o: CcxtTransportOptions) {}

  private httpFor(origin: string): SourceHttp {
    let http = this.byOrigin.get(origin);
    if (!http) {
      http = this.o.network.http({
        source: this.o.source,
        // One budget per exchange, whatever API host (spot, futures) ccxt calls; the venue's own when shared.
        budgetKey: this.o.sharedBudget?.budgetKey ?? this.o.source,
        budget: this.o.sharedBudget?.budget ?? { limit: this.o.callsPerMinute, windowMs: 60_000 },
        usedWeightHeader: this.o.sharedBudget?.usedWeightHeader,
        hosts: [origin],
        toError: (res) => {
          const retryAfter = res.headers['retry-after'];
          const value = Array.isArray(retryAfter) ? retryAfter[0] : retryAfter;
          return new ExchangeHttpError(
            res,
            this.o.source,
            value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined,
          );
        },
        headers: () => ({ 'User-Agent': USER_AGENT, Accept: 'application/json' }),
        timeoutMs: this.o.timeoutMs,
      });
      this.byOrigin.set(origin, http);
    }
    return http;
  }

  /** ccxt's fetchImplementation: (url, {method, headers, body, signal}) => Response. */
  readonly fetch = async (url: string, params: { method?: string; signal?: AbortSignal } = {}): Promise<Response> => {
    const method = (params.method ?? 'GET').toUpperCase();
    const target = new URL(url);
    if (method !== 'GET')
      throw new SourceError(
        `${this.o.source} reads public market data only; refused ${method} ${target.pathname}`,
        'rejected',
      );
    const ctx = this.o.calls.getStore();
    if (ctx) ctx.requests++;
    const signals = [ctx?.signal, params.signal].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    try {
      const res = await this.httpFor(target.origin).request(
        `${target.pathname}${target.search}`,
        { weight: this.o.sharedBudget?.weight(target.pathname) ?? 1, priority: ctx?.priority, signal },
        (r) => {
          try {
            JSON.parse(r.body);
          } catch {
            throw new SourceError(
              `${this.o.source} sent a body that is not JSON (${r.body.length} bytes) for ${target.pathname}`,
              'malformed',
            );
          }
          return r;
        },
      );
      return toResponse(res);
    } catch (err) {
      if (err instanceof ExchangeHttpError) {
        if (ctx) ctx.httpError = err;
        return toResponse(err.response);
      }
      throw err;
    }
  };
}

function toResponse(res: HttpResponse): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined || /^(content-length|transfer-encoding|content-encoding|connection)$/i.test(name)) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return new Response(res.body, { status: res.status, statusText: STATUS_CODES[res.status] ?? '', headers });
}
