/**
 * What the simulator publishes for one series, as a client must store it: every closed candle with
 * open time in [from, to), at simulator time `now` (revisions included). Binance and ccxt's binance
 * client read the same venue; CoinGecko's 4h /ohlc rows and Yahoo's bars come from their own truths.
 */
import type { Simulator } from '../simulator/simulator.js';
import { VOLUME_DECIMALS } from '../simulator/price-path.js';
import { YAHOO_INTRADAY_MINUTES } from '../simulator/yahoo-truth.js';
import type { VenueTruth } from '../simulator/truth.js';
import type { Candle, SeriesKey } from '../../shared/domain.js';
import { MINUTE_MS, ceilToTimeframe, nextOpen } from '../../shared/timeframe.js';

function venueCandles(
  truth: VenueTruth,
  key: SeriesKey,
  from: number,
  to: number,
  now: number,
  volume: boolean,
): Candle[] {
  const scale = 10 ** truth.priceDecimals;
  const out: Candle[] = [];
  for (
    let t = ceilToTimeframe(key.timeframe, from);
    t < to && nextOpen(key.timeframe, t) <= now;
    t = nextOpen(key.timeframe, t)
  ) {
    const c = truth.candleAt(key.timeframe, t, now);
    if (!c) continue;
    out.push({
      ts: t,
      open: c.open / scale,
      high: c.high / scale,
      low: c.low / scale,
      close: c.close / scale,
      volume: volume ? c.volume / 10 ** VOLUME_DECIMALS : null,
    });
  }
  return out;
}

export function truthCandlesFor(sim: Simulator, key: SeriesKey, from: number, to: number, now: number): Candle[] {
  if (key.source === 'binance' || key.source === 'ccxt:binance') {
    return venueCandles(sim.truth('binance', key.symbol.replace('/', '')), key, from, to, now, true);
  }
  if (key.source === 'coingecko') {
    const coin = sim.coingecko.coins.get(key.symbol.split('/')[0]!);
    if (!coin) throw new Error(`the simulator has no coingecko coin ${key.symbol}`);
    return venueCandles(coin, key, from, to, now, false);
  }
  if (key.source === 'yahoo') {
    const instrument = sim.yahoo.symbols.get(key.symbol);
    const minutes = YAHOO_INTRADAY_MINUTES[key.timeframe];
    if (!instrument || minutes === undefined)
      throw new Error(`the soak compares intraday yahoo series only, not ${key.symbol} ${key.timeframe}`);
    return instrument
      .intraday(minutes, from, to - 1, now)
      .filter((b) => b.open !== null && b.ts >= from && b.ts < to && b.ts + minutes * MINUTE_MS <= now)
      .map((b) => ({ ts: b.ts, open: b.open!, high: b.high!, low: b.low!, close: b.close!, volume: b.volume }));
  }
  throw new Error(`the soak has no truth for source ${key.source}`);
}
