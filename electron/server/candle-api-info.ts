/**
 * exchangeInfo for the local candle API: the stored Binance symbols, shaped like the real response
 * (docs/SOURCES.md "Binance exchangeInfo, ping and time") closely enough that ccxt's binance client loads
 * its markets from it. Candlekeep does not keep tick or lot sizes, so the filters give 8-decimal
 * precision.
 */
import { splitBinanceSymbol } from '../sources/binance-pairs.js';

const EIGHT_DECIMALS = '0.00000001';

function symbolInfo(symbol: string): object | null {
  const split = splitBinanceSymbol(symbol);
  if (!split) return null;
  return {
    symbol,
    status: 'TRADING',
    baseAsset: split.base,
    baseAssetPrecision: 8,
    quoteAsset: split.quote,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'],
    icebergAllowed: false,
    ocoAllowed: false,
    otoAllowed: false,
    quoteOrderQtyMarketAllowed: false,
    allowTrailingStop: false,
    cancelReplaceAllowed: false,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: EIGHT_DECIMALS, maxPrice: '10000000.00000000', tickSize: EIGHT_DECIMALS },
      { filterType: 'LOT_SIZE', minQty: EIGHT_DECIMALS, maxQty: '90000000.00000000', stepSize: EIGHT_DECIMALS },
    ],
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
    allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
  };
}

export function binanceExchangeInfo(symbols: string[], now: number): object {
  return {
    timezone: 'UTC',
    serverTime: now,
    // The real limits, so clients that read them pace themselves as usual; this server enforces none.
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
      { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 300000 },
    ],
    exchangeFilters: [],
    symbols: symbols.map(symbolInfo).filter((s) => s !== null),
  };
}
