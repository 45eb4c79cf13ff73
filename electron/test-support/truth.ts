/** Ground truth from the simulator, converted exactly as a client parses the wire strings. */
import type { Simulator } from '../simulator/simulator.js';
import { fixed } from '../simulator/http-util.js';
import type { Candle } from '../../shared/domain.js';
import type { Timeframe } from '../../shared/timeframe.js';

export function truthCandles(sim: Simulator, symbol: string, from: number, to: number, tf: Timeframe = '1m'): Candle[] {
  const truth = sim.truth('binance', symbol);
  const d = truth.priceDecimals;
  return truth
    .range(tf, from, to - 1, Number.MAX_SAFE_INTEGER, sim.clock.now())
    .filter((c) => c.closed)
    .map((c) => ({
      ts: c.openTime,
      open: Number(fixed(c.open, d)),
      high: Number(fixed(c.high, d)),
      low: Number(fixed(c.low, d)),
      close: Number(fixed(c.close, d)),
      volume: Number(fixed(c.volume, 8)),
    }));
}
