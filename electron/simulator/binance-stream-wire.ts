/**
 * Kline stream events as Binance's WebSocket streams send them (docs/SOURCES.md "Binance kline
 * streams"): the same values as the REST row of that candle, plus whether it is closed (`x`).
 */
import type { TruthCandle } from './truth.js';
import { klineValues } from './binance-routes.js';
import type { Timeframe } from '../../shared/timeframe.js';

/** The stream name of a symbol's klines: lower-case symbol, `@kline_`, interval. */
export function klineStreamName(symbol: string, tf: Timeframe): string {
  return `${symbol.toLowerCase()}@kline_${tf}`;
}

/** One `kline` event (the raw payload, unwrapped) for a candle as published at `eventTime`. */
export function klineEvent(symbol: string, tf: Timeframe, c: TruthCandle, decimals: number, eventTime: number): string {
  const v = klineValues(c, tf, decimals);
  // Trade ids only need to be increasing and consistent with the count; none when nothing traded.
  const first = c.trades > 0 ? Math.floor(c.openTime / 1000) : -1;
  const last = c.trades > 0 ? first + c.trades - 1 : -1;
  return `{"e":"kline","E":${eventTime},"s":"${symbol}","k":{"t":${c.openTime},"T":${v.closeTime},"s":"${symbol}","i":"${tf}","f":${first},"L":${last},"o":"${v.open}","c":"${v.close}","h":"${v.high}","l":"${v.low}","v":"${v.volume}","n":${v.trades},"x":${c.closed},"q":"${v.quoteVolume}","V":"${v.takerBase}","Q":"${v.takerQuote}","B":"0"}}`;
}

/** A combined stream's wrapper around one raw event. */
export function combined(stream: string, event: string): string {
  return `{"stream":"${stream}","data":${event}}`;
}
