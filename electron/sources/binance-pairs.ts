/**
 * Splitting a Binance symbol (BTCUSDT) into base and quote (BTC, USDT), for tools that name markets
 * as BASE/QUOTE (ccxt, freqtrade). Binance publishes the split in exchangeInfo; offline, the quote is
 * recognised from the quote assets Binance lists, longest first (FDUSD before USD..., USDT before USD).
 */
const QUOTES = [
  'FDUSD',
  'USDT',
  'USDC',
  'TUSD',
  'BUSD',
  'USDP',
  'USDS',
  'AEUR',
  'EURI',
  'BIDR',
  'IDRT',
  'BKRW',
  'DAI',
  'BTC',
  'ETH',
  'BNB',
  'XRP',
  'TRX',
  'DOGE',
  'DOT',
  'SOL',
  'PAX',
  'VAI',
  'EUR',
  'GBP',
  'TRY',
  'BRL',
  'AUD',
  'JPY',
  'RUB',
  'UAH',
  'NGN',
  'ZAR',
  'PLN',
  'RON',
  'ARS',
  'MXN',
  'COP',
  'CZK',
].sort((a, b) => b.length - a.length);

export function splitBinanceSymbol(symbol: string): { base: string; quote: string } | null {
  for (const quote of QUOTES) {
    if (symbol.length > quote.length && symbol.endsWith(quote)) return { base: symbol.slice(0, -quote.length), quote };
  }
  return null;
}
