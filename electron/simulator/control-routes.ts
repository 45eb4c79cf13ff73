/**
 * The simulator's control API under /_sim, for tests and tools in another process:
 *   GET  /_sim/log?since=SEQ                  requests received (JSON array)
 *   POST /_sim/log/clear
 *   GET  /_sim/truth?venue=binance&symbol=S&interval=TF&start=MS&end=MS   ground-truth candles, closed only
 *   GET  /_sim/windows?venue=binance&symbol=S&start=MS&end=MS             true holes (listing, maintenance)
 *   GET  /_sim/faults                         active fault rules
 *   POST /_sim/faults  {profile?, rules?, clear?}   set a profile, add rules, or clear them
 *   POST /_sim/outage  {host, durationMs}     take one host (port) down for a while (0 ends it)
 *   POST /_sim/budget  {limit?, extraWeightPerMinute?, enforce?, reset?}   Binance weight limit; weight "another
 *                                            client" spends; enforcement on/off; forget all IPs' usage and bans
 *   GET  /_sim/clock                          {now}
 *   /_sim/archive/...                         the archive's defective files (archive-control.ts)
 *   POST /_sim/revise, /_sim/diverge, /_sim/edits/clear   change what a venue publishes (edit-control.ts)
 */
import type { SimRequest, SimResponse } from './http-util.js';
import { readBody } from './http-util.js';
import type { Simulator } from './simulator.js';
import { isTimeframe } from '../../shared/timeframe.js';
import type { FaultRule } from './faults.js';
import { handleArchiveControl } from './archive-control.js';
import { handleEditControl } from './edit-control.js';

function numberParam(query: URLSearchParams, name: string): number {
  const value = Number(query.get(name));
  if (!Number.isFinite(value)) throw new Error(`query parameter ${name} must be a number`);
  return value;
}

async function jsonBody<T>(req: SimRequest): Promise<T> {
  const text = await readBody(req.raw);
  return (text ? JSON.parse(text) : {}) as T;
}

export async function handleControl(sim: Simulator, req: SimRequest): Promise<SimResponse> {
  const q = req.query;
  if (req.path.startsWith('/archive/')) return handleArchiveControl(sim.archive, req);
  if (req.method === 'POST' && ['/revise', '/diverge', '/edits/clear'].includes(req.path))
    return handleEditControl(sim, req);
  switch (`${req.method} ${req.path}`) {
    case 'GET /log':
      return { status: 200, body: sim.log.since(Number(q.get('since') ?? 0)) };
    case 'POST /log/clear':
      sim.log.clear();
      return { status: 200, body: { ok: true } };
    case 'GET /truth': {
      const interval = q.get('interval') ?? '';
      if (!isTimeframe(interval)) return { status: 400, body: { error: 'bad interval' } };
      const truth = sim.truth('binance', q.get('symbol') ?? '');
      const rows = truth.range(
        interval,
        numberParam(q, 'start'),
        numberParam(q, 'end'),
        Number.MAX_SAFE_INTEGER,
        sim.clock.now(),
      );
      return { status: 200, body: rows.filter((c) => c.closed) };
    }
    case 'GET /windows': {
      const truth = sim.truth('binance', q.get('symbol') ?? '');
      return { status: 200, body: truth.emptyWindows(numberParam(q, 'start'), numberParam(q, 'end')) };
    }
    case 'GET /faults':
      return { status: 200, body: { profile: sim.faults.profile, rules: sim.faults.list() } };
    case 'POST /faults': {
      const body = await jsonBody<{ profile?: string; rules?: FaultRule[]; clear?: boolean }>(req);
      if (body.clear) sim.faults.clear();
      if (body.profile) sim.faults.setProfile(body.profile);
      for (const rule of body.rules ?? []) sim.faults.add(rule);
      return { status: 200, body: { profile: sim.faults.profile, rules: sim.faults.list() } };
    }
    case 'POST /outage': {
      const body = await jsonBody<{ host: string; durationMs: number }>(req);
      sim.outage(String(body.host), body.durationMs);
      return { status: 200, body: { ok: true } };
    }
    case 'POST /budget': {
      const body = await jsonBody<{
        limit?: number;
        extraWeightPerMinute?: number;
        enforce?: boolean;
        reset?: boolean;
      }>(req);
      if (body.reset) sim.binance.budget.reset();
      if (body.enforce !== undefined) sim.binance.budget.enforce = body.enforce;
      if (body.limit !== undefined) sim.binance.budget.limitPerMinute = body.limit;
      if (body.extraWeightPerMinute !== undefined) sim.binance.budget.extraWeightPerMinute = body.extraWeightPerMinute;
      return {
        status: 200,
        body: {
          limit: sim.binance.budget.limitPerMinute,
          extraWeightPerMinute: sim.binance.budget.extraWeightPerMinute,
        },
      };
    }
    case 'GET /clock':
      return { status: 200, body: { now: sim.clock.now() } };
    default:
      return { status: 404, body: { error: `no control route ${req.method} ${req.path}` } };
  }
}
