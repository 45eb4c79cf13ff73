/**
 * The canonical symbol a series is stored under, from --symbol (and --vs for CoinGecko):
 * `--source coingecko --symbol bitcoin --vs usd` is `bitcoin/usd` (usd when --vs is left out);
 * every other source takes its own form (BTCUSDT, AAPL, BTC/USDT). Shared by backfill and export
 * so both name the same series.
 */
import { required, type Options } from '../args.js';
import { UsageError } from '../errors.js';
import { SourceError, type Source } from '../../sources/source.js';

/** The options this module reads (spread into a command's parse options). */
export const SYMBOL_OPTIONS: Options = { symbol: { type: 'string' }, vs: { type: 'string' } };

export function seriesSymbol(source: Source, values: Record<string, unknown>): string {
  const symbol = required(values, 'symbol');
  const vs = values.vs;
  let typed = symbol;
  if (typeof vs === 'string') {
    if (source.id !== 'coingecko')
      throw new UsageError(
        `--vs is for --source coingecko only; ${source.id} symbols name their quote currency (e.g. BTCUSDT, BTC/USDT)`,
      );
    if (symbol.includes('/'))
      throw new UsageError(
        `give the currency once: --symbol ${symbol.split('/')[0]} --vs ${vs}, or --symbol ${symbol} alone`,
      );
    typed = `${symbol}/${vs}`;
  }
  try {
    return source.normalizeSymbol(typed);
  } catch (err) {
    // A symbol in the wrong form is a usage mistake: say so with exit code 2.
    if (err instanceof SourceError) throw new UsageError(err.message);
    throw err;
  }
}
