/**
 * Control routes that change what a venue publishes (venue-edits.ts), for quality tests and demos:
 *   POST /_sim/revise  {venue?, symbol, openTime, at?, open?, high?, low?, close?, volume?}
 *        the venue publishes the 1m candle at `openTime` with these values (prices and volume in the
 *        quote's units, as the wire shows them) from simulator time `at` (default now) on
 *   POST /_sim/diverge {venue, symbol, from, to, factor}
 *        the venue's prices over 1m open times [from, to) multiplied by `factor`
 *   POST /_sim/edits/clear {venue?, symbol}
 * `venue` is binance (default), coingecko (symbol = coin id) or yahoo; `symbol` the venue's own.
 */
import type { SimRequest, SimResponse } from './http-util.js';
import { readBody } from './http-util.js';
import type { Simulator } from './simulator.js';
import type { VenueEdits } from './venue-edits.js';
import { VOLUME_DECIMALS } from './price-path.js';

interface EditTarget {
  edits: VenueEdits;
  priceDecimals: number;
}

function target(sim: Simulator, venue: string, symbol: string): EditTarget | null {
  const truth =
    venue === 'binance'
      ? sim.binance.symbols.get(symbol)
      : venue === 'coingecko'
        ? sim.coingecko.coins.get(symbol)
        : undefined;
  if (truth) return { edits: truth.edits, priceDecimals: truth.priceDecimals };
  const yahoo = venue === 'yahoo' ? sim.yahoo.symbols.get(symbol) : undefined;
  return yahoo ? { edits: yahoo.edits, priceDecimals: yahoo.asset.priceDecimals } : null;
}

const bad = (error: string): SimResponse => ({ status: 400, body: { error } });
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export async function handleEditControl(sim: Simulator, req: SimRequest): Promise<SimResponse> {
  const text = await readBody(req.raw);
  const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  const venue = typeof body.venue === 'string' ? body.venue : 'binance';
  const found = target(sim, venue, String(body.symbol ?? ''));
  if (!found) return bad(`no ${venue} instrument '${String(body.symbol)}'`);
  const { edits, priceDecimals } = found;
  if (req.path === '/edits/clear') {
    edits.clear();
    return { status: 200, body: { ok: true } };
  }
  if (req.path === '/diverge') {
    const { from, to, factor } = body;
    if (!isNumber(from) || !isNumber(to) || !isNumber(factor) || from >= to || factor <= 0)
      return bad('diverge needs numbers from < to and factor > 0');
    edits.diverge({ from, to, factor });
    return { status: 200, body: { ok: true } };
  }
  const { openTime } = body;
  if (!isNumber(openTime) || openTime % 60_000 !== 0) return bad('revise needs openTime: a 1m open time in epoch ms');
  const ticks = (v: unknown): number | undefined => (isNumber(v) ? Math.round(v * 10 ** priceDecimals) : undefined);
  const at = isNumber(body.at) ? body.at : sim.clock.now();
  const volume = isNumber(body.volume) ? Math.round(body.volume * 10 ** VOLUME_DECIMALS) : undefined;
  const values = {
    open: ticks(body.open),
    high: ticks(body.high),
    low: ticks(body.low),
    close: ticks(body.close),
    volume,
  };
  edits.revise(openTime, { at, ...Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) });
  return { status: 200, body: { ok: true } };
}
