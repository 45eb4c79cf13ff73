/**
 * What a live kline stream offers the engine, whatever its transport (Binance's WebSocket streams,
 * ccxt.pro's watchOHLCV): updates of forming and closed candles, and notice of every (re)connect so
 * the REST tail can fetch whatever the stream missed meanwhile.
 */
import type { Candle } from '../../shared/domain.js';
import type { Timeframe } from '../../shared/timeframe.js';

export interface StreamKey {
  symbol: string;
  timeframe: Timeframe;
}

export interface StreamKline extends StreamKey {
  /** The candle is closed (Binance's `k.x`): only then may it be stored. */
  closed: boolean;
  candle: Candle;
  /** The message as the source sent it, kept with a candle that fails validation. */
  raw: unknown;
}

export type StreamStateName = 'off' | 'connecting' | 'live' | 'reconnecting';

export interface StreamStats {
  state: StreamStateName;
  connections: number;
  /** Streams subscribed and confirmed. */
  streams: number;
  /** Messages received since the stream started. */
  messages: number;
  reconnects: number;
  lastMessageAt: number | null;
}

export interface KlineStreamHandlers {
  onKline(kline: StreamKline): void;
  /** These streams are (again) subscribed: anything closed while they were not must be fetched over REST. */
  onSubscribed(keys: StreamKey[]): void;
}

export interface KlineStream {
  /** The streams wanted now; the stream subscribes and unsubscribes to match. */
  set(keys: StreamKey[]): void;
  stats(): StreamStats;
  close(): void;
}
