/**
 * The live stream of a source, where it has one and streams are on: Binance's kline streams. Other
 * sources (CoinGecko, Yahoo, ccxt exchanges for now) keep polling REST for their tails.
 */
import type { Clock } from '../net/clock.js';
import type { Network } from '../net/network.js';
import { BinanceKlineStreams, binanceStreamUrl } from './binance-streams.js';
import type { KlineStream, KlineStreamHandlers } from './kline-stream.js';

export interface StreamContext {
  clock: Clock;
  network: Network;
  env: NodeJS.ProcessEnv;
  /** The streams setting, under CANDLEKEEP_STREAMS=off (the CLI's --no-streams). */
  enabled: boolean;
}

export function streamsEnabled(setting: boolean, env: NodeJS.ProcessEnv): boolean {
  return setting && env.CANDLEKEEP_STREAMS !== 'off';
}

export function createKlineStream(
  sourceId: string,
  ctx: StreamContext,
  handlers: KlineStreamHandlers,
): KlineStream | undefined {
  if (!ctx.enabled) return undefined;
  if (sourceId === 'binance')
    return new BinanceKlineStreams({
      url: binanceStreamUrl(ctx.env),
      clock: ctx.clock,
      network: ctx.network,
      handlers,
    });
  return undefined;
}
