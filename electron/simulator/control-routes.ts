/**
 * The simulator's control API under /_sim, for tests and tools in another process:
 *   GET  /_sim/log?since=SEQ                      requests received (JSON array)
 *   POST /_sim/log/clear
 *   GET  /_sim/truth?venue=binance&symbol=S&interval=TF&start=MS&end=MS   ground-truth candles, closed only
 *   GET  /_sim/windows?venue=binance&symbol=S&start=MS&end=MS             true holes (listing, maintenance)
 */
import type { SimRequest, SimResponse } from './http-util.js';
import type { Simulator } from './simulator.js';
import { isTimeframe } from '../../shared/timeframe.js';

function numberParam(query: URLSearchParams, name: string): number {
  const value = Number(query.get(name));
  if (!Number.isFinite(value)) throw new Error(`query parameter ${name} must be a number`);
  return value;
}

export async function handleControl(sim: Simulator, req: SimRequest): Promise<SimResponse> {
  const q = req.query;
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
      const now = sim.clock.now();
      const rows = truth.range(interval, numberParam(q, 'start'), numberParam(q, 'end'), Number.MAX_SAFE_INTEGER, now);
      return { status: 200, body: rows.filter((c) => c.closed) };
    }
    case 'GET /windows': {
      const truth = sim.truth('binance', q.get('symbol') ?? '');
      return { status: 200, body: truth.emptyWindows(numberParam(q, 'start'), numberParam(q, 'end')) };
    }
    default:
      return { status: 404, body: { error: `no control route ${req.method} ${req.path}` } };
  }
}
