/**
 * CoinGecko API v3 as the simulator serves it under /coingecko/api/v3 (docs/SOURCES.md, the CoinGecko sections): /ping,
 * /coins/list, /coins/{id}/ohlc (allowed `days` only) and /coins/{id}/market_chart/range, with the
 * plan a request's key header implies (keyless, demo `x-cg-demo-api-key`, pro `x-cg-pro-api-key`):
 * per-minute call limits answered by a JSON 429 with Retry-After, and the demo plan's 365-day
 * history limit (error 10012). Error bodies are the shapes recorded or reported for the real API.
 */
import type { SimRequest, SimResponse } from './http-util.js';
import type { VenueTruth } from './truth.js';
import type { Clock } from '../net/clock.js';
import { OHLC_DAYS, VS_CURRENCIES, chartPoints, ohlcRows } from './coingecko-data.js';
import { DAY_MS, MINUTE_MS } from '../../shared/timeframe.js';

export type CoinGeckoPlan = 'keyless' | 'demo' | 'pro';

export interface CoinGeckoContext {
  clock: Clock;
  /** By coin id. */
  coins: Map<string, VenueTruth>;
  /** Calls per minute per IP and plan. */
  limits: Record<CoinGeckoPlan, number>;
  usage: Map<string, { minute: number; count: number }>;
  /** The plan each request was served under, in order (tests check which key header was sent). */
  plans: CoinGeckoPlan[];
}

/** Defaults: keyless and demo limits as documented around 2024 (docs/SOURCES.md "CoinGecko plans, keys and errors"). */
export const COINGECKO_SIM_LIMITS: Record<CoinGeckoPlan, number> = { keyless: 10, demo: 30, pro: 500 };

const json = (status: number, body: unknown, headers?: Record<string, string>): SimResponse => ({
  status,
  body,
  headers,
});
const incorrectPath = (): SimResponse =>
  json(404, { error: 'Incorrect path. Please check https://www.coingecko.com/api/' });

function planOf(req: SimRequest): CoinGeckoPlan {
  const h = req.raw.headers;
  if (h['x-cg-pro-api-key'] || req.query.get('x_cg_pro_api_key')) return 'pro';
  if (h['x-cg-demo-api-key'] || req.query.get('x_cg_demo_api_key')) return 'demo';
  return 'keyless';
}

function rangeTooOld(now: number): SimResponse {
  return json(401, {
    error: {
      status: {
        timestamp: new Date(now).toISOString().replace('Z', '+00:00'),
        error_code: 10012,
        error_message:
          'Your request exceeds the allowed time range. Public API users are limited to querying historical data within the past 365 days. Upgrade to a paid plan to enjoy full historical data access: https://www.coingecko.com/en/api/pricing. ',
      },
    },
  });
}

function vsFactor(q: URLSearchParams): number | SimResponse {
  const factor = VS_CURRENCIES[(q.get('vs_currency') ?? '').toLowerCase()];
  return factor ?? json(400, { error: 'invalid vs_currency' });
}

function ohlc(ctx: CoinGeckoContext, truth: VenueTruth, q: URLSearchParams, plan: CoinGeckoPlan): SimResponse {
  const factor = vsFactor(q);
  if (typeof factor !== 'number') return factor;
  const raw = q.get('days') ?? '';
  // Values outside the documented enum are refused ([?] body: the reports show only the status).
  if (!(OHLC_DAYS as readonly string[]).includes(raw)) return json(400, { error: 'invalid days' });
  const now = ctx.clock.now();
  let days = raw === 'max' ? Math.ceil((now - truth.asset.listedAt) / DAY_MS) : Number(raw);
  if (plan !== 'pro' && days > 365) return rangeTooOld(now);
  days = Math.max(1, days);
  return json(200, ohlcRows(truth, days, now, factor));
}

function chartRange(ctx: CoinGeckoContext, truth: VenueTruth, q: URLSearchParams, plan: CoinGeckoPlan): SimResponse {
  const factor = vsFactor(q);
  if (typeof factor !== 'number') return factor;
  const parse = (name: string): number | null => {
    const v = q.get(name) ?? '';
    if (/^\d+(\.\d+)?$/.test(v)) return Math.floor(Number(v) * 1000);
    const iso = Date.parse(
      /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/.test(v) ? `${v.length === 10 ? `${v}T00:00` : v}:00Z` : 'x',
    );
    return Number.isFinite(iso) ? iso : null;
  };
  const from = parse('from');
  const to = parse('to');
  if (from === null || to === null) return json(400, { error: `invalid ${from === null ? 'from' : 'to'} parameter` });
  const now = ctx.clock.now();
  if (plan !== 'pro' && from < now - 365 * DAY_MS) return rangeTooOld(now);
  if (from > to) return json(200, { prices: [], market_caps: [], total_volumes: [] });
  return json(200, chartPoints(truth, from, to, now, factor));
}

/** Answer one request below /coingecko. */
export function handleCoinGecko(
  ctx: CoinGeckoContext,
  req: SimRequest,
  ip: string,
): { response: SimResponse; weight: number } {
  const plan = planOf(req);
  ctx.plans.push(plan);
  if (ctx.plans.length > 10_000) ctx.plans.splice(0, 5_000);
  const now = ctx.clock.now();
  const minute = Math.floor(now / MINUTE_MS);
  const usage = ctx.usage.get(`${ip} ${plan}`);
  const count = usage && usage.minute === minute ? usage.count + 1 : 1;
  ctx.usage.set(`${ip} ${plan}`, { minute, count });
  if (count > ctx.limits[plan]) {
    const retryAfter = Math.max(1, Math.ceil(((minute + 1) * MINUTE_MS - now) / 1000));
    return {
      weight: 1,
      response: json(
        429,
        {
          status: {
            error_code: 429,
            error_message:
              "You've exceeded the Rate Limit. Please visit https://www.coingecko.com/en/api/pricing to subscribe to our API plans for higher rate limits.",
          },
        },
        { 'Retry-After': String(retryAfter) },
      ),
    };
  }
  if (req.method !== 'GET') return { weight: 1, response: incorrectPath() };
  const path = req.path.replace(/\/+$/, '');
  if (path === '/api/v3/ping') return { weight: 1, response: json(200, { gecko_says: '(V3) To the Moon!' }) };
  if (path === '/api/v3/coins/list') {
    const list = [...ctx.coins.values()].map((t) => ({
      id: t.asset.coingecko!.id,
      symbol: t.asset.coingecko!.symbol,
      name: t.asset.coingecko!.name,
    }));
    return { weight: 1, response: json(200, list) };
  }
  const match = /^\/api\/v3\/coins\/([^/]+)\/(ohlc|market_chart\/range)$/.exec(path);
  if (!match) return { weight: 1, response: incorrectPath() };
  const id = decodeURIComponent(match[1]!);
  // An id that cannot be one (spaces, brackets) is answered like a wrong path, as recorded.
  if (!/^[a-z0-9._-]+$/.test(id)) return { weight: 1, response: incorrectPath() };
  const truth = ctx.coins.get(id);
  if (!truth) return { weight: 1, response: json(404, { error: 'coin not found' }) };
  const response = match[2] === 'ohlc' ? ohlc(ctx, truth, req.query, plan) : chartRange(ctx, truth, req.query, plan);
  return { weight: 1, response };
}
