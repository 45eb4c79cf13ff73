/**
 * Which series a soak keeps: a fixed catalog ordered so that any prefix spans the sources (Binance at
 * several timeframes, ccxt's binance client, CoinGecko, Yahoo crypto and equities), so
 * `--series-count K` takes the first K.
 */
import type { SeriesKey } from '../../shared/domain.js';

export const SOAK_SERIES: readonly SeriesKey[] = [
  { source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' },
  { source: 'ccxt:binance', symbol: 'ETH/USDT', timeframe: '1m' },
  { source: 'coingecko', symbol: 'bitcoin/usd', timeframe: '4h' },
  { source: 'yahoo', symbol: 'AAPL', timeframe: '5m' },
  { source: 'binance', symbol: 'ETHUSDT', timeframe: '5m' },
  { source: 'binance', symbol: 'SOLUSDT', timeframe: '1h' },
  { source: 'yahoo', symbol: 'BTC-USD', timeframe: '15m' },
  { source: 'ccxt:binance', symbol: 'BTC/USDT', timeframe: '1h' },
  { source: 'binance', symbol: 'BNBUSDT', timeframe: '1m' },
  { source: 'coingecko', symbol: 'ethereum/usd', timeframe: '4h' },
  { source: 'binance', symbol: 'XRPUSDT', timeframe: '15m' },
  { source: 'yahoo', symbol: 'SPY', timeframe: '15m' },
  { source: 'binance', symbol: 'ADAUSDT', timeframe: '5m' },
  { source: 'ccxt:binance', symbol: 'SOL/USDT', timeframe: '5m' },
  { source: 'binance', symbol: 'DOGEUSDT', timeframe: '4h' },
  { source: 'yahoo', symbol: 'ETH-USD', timeframe: '1h' },
  { source: 'binance', symbol: 'LTCUSDT', timeframe: '30m' },
  { source: 'coingecko', symbol: 'solana/usd', timeframe: '4h' },
  { source: 'binance', symbol: 'ETHBTC', timeframe: '1m' },
  { source: 'yahoo', symbol: 'MSFT', timeframe: '30m' },
  { source: 'binance', symbol: 'BTCUSDT', timeframe: '1h' },
  { source: 'ccxt:binance', symbol: 'XRP/USDT', timeframe: '15m' },
  { source: 'binance', symbol: 'ETHUSDT', timeframe: '1d' },
  { source: 'yahoo', symbol: 'SOL-USD', timeframe: '5m' },
  { source: 'binance', symbol: 'SOLUSDT', timeframe: '1m' },
  { source: 'coingecko', symbol: 'ripple/usd', timeframe: '4h' },
  { source: 'binance', symbol: 'ADAUSDT', timeframe: '1h' },
  { source: 'ccxt:binance', symbol: 'BNB/USDT', timeframe: '1m' },
  { source: 'yahoo', symbol: 'AAPL', timeframe: '30m' },
  { source: 'binance', symbol: 'XRPUSDT', timeframe: '1m' },
];

export const DEFAULT_SERIES_COUNT = 24;

export function soakSeries(count: number): SeriesKey[] {
  if (!Number.isInteger(count) || count < 1 || count > SOAK_SERIES.length)
    throw new RangeError(`series count must be 1 to ${SOAK_SERIES.length}`);
  return SOAK_SERIES.slice(0, count);
}
