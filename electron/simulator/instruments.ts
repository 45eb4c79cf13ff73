/**
 * The simulator's instrument catalog: one price path per asset, listed on several venues, so the same
 * asset can be compared across sources (Binance BTCUSDT, CoinGecko bitcoin/usd, Yahoo BTC-USD).
 */

export interface Asset {
  /** Key of the price path. */
  key: string;
  /** Price around which the path wanders. */
  basePrice: number;
  /** Decimal places of the price tick. */
  priceDecimals: number;
  /** Typical 1m volume in base units. */
  baseVolume: number;
  /** First candle on Binance (open time, ms). */
  listedAt: number;
  binance?: { symbol: string; base: string; quote: string };
  coingecko?: { id: string; symbol: string; name: string };
  yahoo?: { symbol: string; name: string; kind: 'crypto' | 'equity' };
}

const d = (iso: string): number => Date.parse(iso);

export const ASSETS: Asset[] = [
  {
    key: 'BTC',
    basePrice: 42_000,
    priceDecimals: 2,
    baseVolume: 25,
    listedAt: d('2017-08-17T04:00:00Z'),
    binance: { symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT' },
    coingecko: { id: 'bitcoin', symbol: 'btc', name: 'Bitcoin' },
    yahoo: { symbol: 'BTC-USD', name: 'Bitcoin USD', kind: 'crypto' },
  },
  {
    key: 'ETH',
    basePrice: 2_300,
    priceDecimals: 2,
    baseVolume: 300,
    listedAt: d('2017-08-17T04:00:00Z'),
    binance: { symbol: 'ETHUSDT', base: 'ETH', quote: 'USDT' },
    coingecko: { id: 'ethereum', symbol: 'eth', name: 'Ethereum' },
    yahoo: { symbol: 'ETH-USD', name: 'Ethereum USD', kind: 'crypto' },
  },
  {
    key: 'BNB',
    basePrice: 310,
    priceDecimals: 2,
    baseVolume: 900,
    listedAt: d('2017-11-06T03:00:00Z'),
    binance: { symbol: 'BNBUSDT', base: 'BNB', quote: 'USDT' },
    coingecko: { id: 'binancecoin', symbol: 'bnb', name: 'BNB' },
  },
  {
    key: 'SOL',
    basePrice: 95,
    priceDecimals: 2,
    baseVolume: 4_000,
    listedAt: d('2020-08-11T06:00:00Z'),
    binance: { symbol: 'SOLUSDT', base: 'SOL', quote: 'USDT' },
    coingecko: { id: 'solana', symbol: 'sol', name: 'Solana' },
    yahoo: { symbol: 'SOL-USD', name: 'Solana USD', kind: 'crypto' },
  },
  {
    key: 'XRP',
    basePrice: 0.6,
    priceDecimals: 4,
    baseVolume: 600_000,
    listedAt: d('2018-05-04T08:00:00Z'),
    binance: { symbol: 'XRPUSDT', base: 'XRP', quote: 'USDT' },
    coingecko: { id: 'ripple', symbol: 'xrp', name: 'XRP' },
  },
  {
    key: 'ADA',
    basePrice: 0.5,
    priceDecimals: 4,
    baseVolume: 800_000,
    listedAt: d('2018-04-17T04:00:00Z'),
    binance: { symbol: 'ADAUSDT', base: 'ADA', quote: 'USDT' },
    coingecko: { id: 'cardano', symbol: 'ada', name: 'Cardano' },
  },
  {
    key: 'DOGE',
    basePrice: 0.08,
    priceDecimals: 5,
    baseVolume: 5_000_000,
    listedAt: d('2019-07-05T12:00:00Z'),
    binance: { symbol: 'DOGEUSDT', base: 'DOGE', quote: 'USDT' },
    coingecko: { id: 'dogecoin', symbol: 'doge', name: 'Dogecoin' },
  },
  {
    key: 'LTC',
    basePrice: 70,
    priceDecimals: 2,
    baseVolume: 2_000,
    listedAt: d('2017-12-13T03:30:00Z'),
    binance: { symbol: 'LTCUSDT', base: 'LTC', quote: 'USDT' },
    coingecko: { id: 'litecoin', symbol: 'ltc', name: 'Litecoin' },
  },
  {
    key: 'ETHBTC',
    basePrice: 0.055,
    priceDecimals: 6,
    baseVolume: 150,
    listedAt: d('2017-07-14T04:00:00Z'),
    binance: { symbol: 'ETHBTC', base: 'ETH', quote: 'BTC' },
  },
  /** A fresh listing, so a backfill can start before an instrument existed. */
  {
    key: 'NEW',
    basePrice: 1.25,
    priceDecimals: 4,
    baseVolume: 50_000,
    listedAt: d('2024-01-02T06:00:00Z'),
    binance: { symbol: 'NEWUSDT', base: 'NEW', quote: 'USDT' },
  },
  {
    key: 'AAPL',
    basePrice: 190,
    priceDecimals: 2,
    baseVolume: 40_000,
    listedAt: d('1980-12-12T00:00:00Z'),
    yahoo: { symbol: 'AAPL', name: 'Apple Inc.', kind: 'equity' },
  },
  {
    key: 'MSFT',
    basePrice: 410,
    priceDecimals: 2,
    baseVolume: 20_000,
    listedAt: d('1986-03-13T00:00:00Z'),
    yahoo: { symbol: 'MSFT', name: 'Microsoft Corporation', kind: 'equity' },
  },
  {
    key: 'SPY',
    basePrice: 500,
    priceDecimals: 2,
    baseVolume: 60_000,
    listedAt: d('1993-01-29T00:00:00Z'),
    yahoo: { symbol: 'SPY', name: 'SPDR S&P 500 ETF Trust', kind: 'equity' },
  },
];

export function assetByBinanceSymbol(symbol: string): Asset | undefined {
  return ASSETS.find((a) => a.binance?.symbol === symbol);
}

/**
 * `n` made-up Binance listings (SYN0001USDT, ...), each on its own price path, so that a thousand
 * series can be kept against the simulator.
 */
export function syntheticAssets(n: number): Asset[] {
  return Array.from({ length: n }, (_, i) => {
    const name = `SYN${String(i + 1).padStart(4, '0')}`;
    return {
      key: name,
      basePrice: 1 + (i % 97) * 3.7,
      priceDecimals: 4,
      baseVolume: 10_000 + (i % 13) * 1_000,
      listedAt: d('2021-01-04T00:00:00Z'),
      binance: { symbol: `${name}USDT`, base: name, quote: 'USDT' },
    };
  });
}
