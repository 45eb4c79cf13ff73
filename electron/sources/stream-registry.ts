/**
 * The live stream of a source, where it has one and streams are on: Binance's kline streams, and
 * watchOHLCV of ccxt's pro client for `ccxt:<exchange>` where the exchange has it. Other sources
 * (CoinGecko, Yahoo, ccxt exchanges without watchOHLCV) keep polling REST for their tails.
 */
import type { Clock } from '../net/clock.js';
import type { Network } from '../net/network.js';
import { BINANCE_STREAM_LIMITS, BinanceKlineStreams, binanceStreamUrl } from './binance-streams.js';
import { CcxtKlineStream } from './ccxt-kline-stream.js';
import { ccxtConfigFromEnv, ccxtProExchange } from './ccxt.js';
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
  if (sourceId.startsWith('ccxt:')) return ccxtStream(sourceId.slice('ccxt:'.length), ctx, handlers);
  return undefined;
}

/**
 * Connections per IP by venue: a venue that also has a native stream here counts ccxt's connections
 * in the same budget, as the venue does. Elsewhere a budget of the same size keeps reconnects sane.
 */
const STREAM_CONNECTION_BUDGETS: Record<string, string> = { binance: 'binance:stream-connections' };

function ccxtStream(exchangeId: string, ctx: StreamContext, handlers: KlineStreamHandlers): KlineStream | undefined {
  const exchange = ccxtProExchange(exchangeId, {
    network: ctx.network,
    config: ccxtConfigFromEnv(exchangeId, ctx.env),
  });
  if (!exchange) return undefined;
  return new CcxtKlineStream({
    exchangeId,
    exchange,
    clock: ctx.clock,
    connectBudget: ctx.network.budgets.get(
      STREAM_CONNECTION_BUDGETS[exchangeId] ?? `ccxt:${exchangeId}:stream-connections`,
      BINANCE_STREAM_LIMITS.connections,
    ),
    handlers,
  });
}
