/**
 * `candlekeep assets set|list|remove`: which listings are the same asset, for cross-source checks.
 *   assets set NAME SOURCE:SYMBOL... [--tolerance 0.5%]   e.g. assets set BTC binance:BTCUSDT coingecko:bitcoin/usd yahoo:BTC-USD
 *   assets list [--json]
 *   assets remove NAME [SOURCE:SYMBOL...]                 the asset, or only those listings of it
 */
import { parse } from '../args.js';
import { UsageError } from '../errors.js';
import { line, type CliIo } from '../io.js';
import { DB_OPTION, openStore } from './common.js';
import { auditedChange } from '../cli-audit.js';
import { createSource } from '../../sources/registry.js';
import { SourceError } from '../../sources/source.js';
import { Network } from '../../net/network.js';
import { systemClock } from '../../net/clock.js';
import type { AssetListing } from '../../store/asset-store.js';
import { sourceSubject } from '../../quality/source-check.js';
import { COMMANDS } from '../catalog.js';

const usage = COMMANDS.assets!.usage;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

/** '0.5%' or '0.005' as a fraction in (0, 1). */
export function tolerance(text: string): number {
  const t = text.trim();
  const value = t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t);
  if (!Number.isFinite(value) || value <= 0 || value >= 1 || t === '') {
    throw new UsageError(
      `--tolerance '${text}' is not a deviation between 0 and 100%: write a percent like 0.5% or a fraction like 0.005`,
    );
  }
  return value;
}

/** `binance:BTCUSDT`, `ccxt:kraken:BTC/USD`, the symbol normalized by its source. */
function listing(text: string, io: CliIo, network: Network): AssetListing {
  const match = /^(ccxt:[a-z0-9]+|[a-z][a-z0-9]*):(.+)$/.exec(text.trim());
  if (!match)
    throw new UsageError(
      `'${text}' is not a listing: write SOURCE:SYMBOL, e.g. binance:BTCUSDT, coingecko:bitcoin/usd, yahoo:BTC-USD`,
    );
  try {
    const source = createSource(match[1]!, { clock: systemClock, env: io.env, network });
    return { source: source.id, symbol: source.normalizeSymbol(match[2]!) };
  } catch (err) {
    if (err instanceof SourceError) throw new UsageError(err.message);
    throw err;
  }
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = parse(
    rest,
    { ...DB_OPTION, tolerance: { type: 'string' }, json: { type: 'boolean' } },
    true,
  );
  const network = new Network(systemClock);
  try {
    if (action !== 'set' && action !== 'list' && action !== 'remove')
      throw new UsageError(`usage: candlekeep ${usage}`);
    const [name, ...listed] = positionals;
    if (action !== 'list' && (!name || !NAME.test(name)))
      throw new UsageError(
        `name the asset with letters, digits, '.', '_' or '-' (e.g. BTC), then its listings: candlekeep ${usage}`,
      );
    const listings = listed.map((l) => listing(l, io, network));
    const tol = typeof values.tolerance === 'string' ? tolerance(values.tolerance) : undefined;
    if (action === 'set' && !listings.length && tol === undefined)
      throw new UsageError(
        `give the listings of ${name}, e.g. candlekeep assets set ${name} binance:BTCUSDT coingecko:bitcoin/usd`,
      );
    const store = openStore(values, io);
    try {
      if (action === 'set') {
        const asset = auditedChange(store, 'assets:set', { name, listings, tolerance: tol }, () =>
          store.assets.set(name!, listings, tol, systemClock.now()),
        );
        line(
          io.stdout,
          `${asset.name} (tolerance ${(asset.tolerance * 100).toFixed(2)}%): ${asset.listings.map((l) => `${l.source}:${l.symbol}`).join(' ')}`,
        );
      } else if (action === 'remove') {
        const removed = auditedChange(store, 'assets:remove', { name, listings }, () => {
          if (listings.length) {
            const count = store.assets.unlist(name!, listings);
            if (!count) throw new UsageError(`${name} has none of those listings: see 'candlekeep assets list'`);
            return count;
          }
          if (!store.assets.remove(name!)) throw new UsageError(`no asset '${name}': see 'candlekeep assets list'`);
          // Its deviation flags described a mapping that no longer exists.
          store.quality.reset(sourceSubject(name!));
          return null;
        });
        line(io.stdout, removed === null ? `removed ${name}` : `removed ${removed} listing(s) from ${name}`);
      } else {
        const assets = store.assets.list();
        if (values.json) line(io.stdout, JSON.stringify(assets));
        else if (!assets.length)
          line(
            io.stdout,
            "no assets yet: say which listings are the same with 'candlekeep assets set BTC binance:BTCUSDT coingecko:bitcoin/usd yahoo:BTC-USD'",
          );
        else
          for (const a of assets)
            line(
              io.stdout,
              `${a.name} (tolerance ${(a.tolerance * 100).toFixed(2)}%): ${a.listings.map((l) => `${l.source}:${l.symbol}`).join(' ')}`,
            );
      }
    } finally {
      store.close();
    }
    return 0;
  } finally {
    network.stop();
  }
}
