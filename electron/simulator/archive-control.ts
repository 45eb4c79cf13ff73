/**
 * Control routes for the archive (under /_sim/archive), so tests in any process can find or set the
 * deliberately defective files:
 *   GET  /_sim/archive/defects?symbol=S&interval=TF&start=MS&end=MS   [{path, defect, granularity, from, to}]
 *   POST /_sim/archive/defects {path, defect: 'missing'|'corrupt'|null|'default'}   force (null: sound)
 */
import type { SimRequest, SimResponse } from './http-util.js';
import { readBody } from './http-util.js';
import type { BinanceArchive } from './archive-routes.js';
import { isTimeframe } from '../../shared/timeframe.js';

export async function handleArchiveControl(archive: BinanceArchive, req: SimRequest): Promise<SimResponse> {
  const q = req.query;
  if (req.method === 'GET' && req.path === '/archive/defects') {
    const interval = q.get('interval') ?? '';
    const start = Number(q.get('start'));
    const end = Number(q.get('end'));
    if (!isTimeframe(interval)) return { status: 400, body: { error: 'interval must be a timeframe such as 1m' } };
    if (!Number.isFinite(start) || !Number.isFinite(end))
      return { status: 400, body: { error: 'start and end must be epoch ms' } };
    return { status: 200, body: archive.defects(q.get('symbol') ?? '', interval, start, end) };
  }
  if (req.method === 'POST' && req.path === '/archive/defects') {
    const text = await readBody(req.raw);
    const body = (text ? JSON.parse(text) : {}) as { path?: string; defect?: string | null };
    const defect = body.defect ?? null;
    if (
      typeof body.path !== 'string' ||
      !(defect === null || defect === 'missing' || defect === 'corrupt' || defect === 'default')
    ) {
      return { status: 400, body: { error: "send {path, defect: 'missing'|'corrupt'|null|'default'}" } };
    }
    archive.force(body.path.replace(/^\/+/, ''), defect);
    return { status: 200, body: { ok: true } };
  }
  return { status: 404, body: { error: `no control route ${req.method} ${req.path}` } };
}
