/**
 * Ground truth candles as a client parses them, for long ranges. truth.ts formats every value as the
 * wire's decimal string and parses it back; units / 10^decimals is the same double without the
 * strings (both are the one correctly rounded value of the exact decimal), at a fraction of the cost.
 */
import type { Simulator } from '../simulator/simulator.js';
import type { Candle } from '../../shared/domain.js';
import type { Timeframe } from '../../shared/timeframe.js';

export function truthCandlesFast(
  sim: Simulator,
  symbol: string,
  from: number,
  to: number,
  tf: Timeframe = '1m',
): Candle[] {
  const truth = sim.truth('binance', symbol);
  const scale = 10 ** truth.priceDecimals;
  return truth
    .range(tf, from, to - 1, Number.MAX_SAFE_INTEGER, sim.clock.now())
    .filter((c) => c.closed)
    .map((c) => ({
      ts: c.openTime,
      open: c.open / scale,
      high: c.high / scale,
      low: c.low / scale,
      close: c.close / scale,
      volume: c.volume / 1e8,
    }));
}
