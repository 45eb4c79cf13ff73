/**
 * Every source kind, by id. Base URLs come from the environment (CANDLEKEEP_<SOURCE>_URL) so the
 * simulator can stand in for the real APIs.
 */
import type { Clock } from '../net/clock.js';
import type { Network } from '../net/network.js';
import { BinanceSource, binanceHosts } from './binance.js';
import { CcxtSource, ccxtConfigFromEnv } from './ccxt.js';
import { CoinGeckoSource, coingeckoSettings } from './coingecko.js';
import { YahooSource, yahooCallsPerMinute, yahooHosts } from './yahoo.js';
import { SourceError, type Source } from './source.js';

export interface SourceContext {
  clock: Clock;
  env: NodeJS.ProcessEnv;
  /** Shared budgets, host pools and breakers: every source object of a process uses the same one. */
  network: Network;
}

interface SourceKind {
  /** Matches the ids this kind serves ('binance', or 'ccxt:*'). */
  matches(id: string): boolean;
  create(id: string, ctx: SourceContext): Source;
  describe: string;
}

const KINDS: SourceKind[] = [
  {
    matches: (id) => id === 'binance',
    create: (_id, ctx) => new BinanceSource({ hosts: binanceHosts(ctx.env), clock: ctx.clock, network: ctx.network }),
    describe: 'binance',
  },
  {
    matches: (id) => id === 'coingecko',
    create: (_id, ctx) =>
      new CoinGeckoSource({ ...coingeckoSettings(ctx.env), clock: ctx.clock, network: ctx.network }),
    describe: 'coingecko',
  },
  {
    matches: (id) => id === 'yahoo',
    create: (_id, ctx) =>
      new YahooSource({
        hosts: yahooHosts(ctx.env),
        callsPerMinute: yahooCallsPerMinute(ctx.env),
        clock: ctx.clock,
        network: ctx.network,
      }),
    describe: 'yahoo',
  },
  {
    matches: (id) => id.startsWith('ccxt:'),
    create: (id, ctx) => {
      const exchangeId = id.slice('ccxt:'.length);
      return new CcxtSource({
        exchangeId,
        config: ccxtConfigFromEnv(exchangeId, ctx.env),
        clock: ctx.clock,
        network: ctx.network,
      });
    },
    describe: 'ccxt:<exchange>',
  },
];

export function sourceIds(): string[] {
  return KINDS.map((k) => k.describe);
}

/** The source for `id`, or a SourceError listing the known ones. */
export function createSource(id: string, ctx: SourceContext): Source {
  const kind = KINDS.find((k) => k.matches(id));
  if (!kind) throw new SourceError(`unknown source '${id}': use one of ${sourceIds().join(', ')}`, 'rejected');
  return kind.create(id, ctx);
}
