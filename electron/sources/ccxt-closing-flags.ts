/**
 * What an exchange's own stream message says about a candle having closed, for the exchanges whose
 * messages say it. ccxt's watchOHLCV drops the flag: it hands back its cache of candles, the forming
 * one included, with nothing to tell a closing update from the last forming one. Where the flag is
 * known, a candle is closed when the exchange said so, and its values are the ones that message
 * carried; a missed or reordered closing message then costs a REST fetch, never a wrong candle.
 * Elsewhere a candle counts as closed once a later one has appeared (ccxt-kline-stream.ts).
 */

export interface ClosingMessage {
  /** The exchange's market id (BTCUSDT: ccxt's market(symbol).id). */
  marketId: string;
  /** The exchange's interval name (1m: ccxt's timeframes[timeframe]). */
  interval: string;
  /** Open time of the candle the message closes. */
  ts: number;
}

type ClosingFlag = (message: unknown) => ClosingMessage | undefined;

interface BinanceKline {
  e?: unknown;
  k?: { t?: unknown; s?: unknown; i?: unknown; x?: unknown };
}

/** Binance kline events: `k.x` is true on the candle's closing update (docs/SOURCES.md "Binance kline streams"). */
const binanceClosing: ClosingFlag = (message) => {
  const outer = message as { data?: BinanceKline } & BinanceKline;
  const event = outer?.data ?? outer;
  const k = event?.k;
  if (event?.e !== 'kline' || k?.x !== true) return undefined;
  if (typeof k.t !== 'number' || typeof k.s !== 'string' || typeof k.i !== 'string') return undefined;
  return { marketId: k.s, interval: k.i, ts: k.t };
};

const CLOSING_FLAGS: Record<string, ClosingFlag | undefined> = { binance: binanceClosing };

/** The exchange's closing flag reader, or undefined when its messages carry none we know. */
export function closingFlagOf(exchangeId: string): ClosingFlag | undefined {
  return CLOSING_FLAGS[exchangeId];
}
