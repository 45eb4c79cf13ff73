/** Sources: what they can do, how healthy they are, what they offer. */
import type { ApiContext } from './context.js';
import type { Handlers } from '../api.js';
import { sourceIds } from '../../sources/registry.js';

type SourceHandlers = Pick<Handlers, 'sources:list' | 'sources:health' | 'symbols:search'>;

export function sourceHandlers(ctx: ApiContext): SourceHandlers {
  return {
    'sources:list': () =>
      sourceIds()
        // Kinds described by a pattern ('ccxt:<exchange>') are not one source the picker can list.
        .filter((id) => !/[*<]/.test(id))
        .map((id) => {
          const source = ctx.sourceFor(id);
          const c = source.capabilities;
          return {
            id: source.id,
            timeframes: c.timeframes,
            maxCandlesPerRequest: c.maxCandlesPerRequest,
            hasVolume: c.hasVolume,
            trading: c.trading,
            lookbackMs: c.lookbackMs,
            notes: c.notes,
          };
        }),
    'sources:health': () => ctx.health.sources(),
    'symbols:search': async ({ source, search, limit }) => {
      const found = await ctx.sourceFor(source).listInstruments(search);
      return found.slice(0, limit ?? 200);
    },
  };
}
