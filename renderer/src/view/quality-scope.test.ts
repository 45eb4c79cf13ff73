import { describe, expect, it } from 'vitest';
import { chartAround } from './quality-links';
import { reportReads } from './quality-scope';
import type { QualityReport } from '../../../shared/quality';

/** Only what the scope reads: the listing and its peers. */
const report = (seriesId: number, patch: Partial<QualityReport>): QualityReport =>
  ({ seriesId, source: 'binance', symbol: 'S', sources: null, ...patch }) as QualityReport;

describe('which series a report reads', () => {
  const mapped = report(1, {
    symbol: 'BTCUSDT',
    sources: {
      asset: 'BTC',
      tolerance: 0.005,
      peers: [{ source: 'coingecko', symbol: 'bitcoin/usd' }],
      comparedSeriesId: 1,
      compared: 0,
      deviations: 0,
      maxDeviation: null,
    },
  });

  it('its own series, the same listing at other timeframes, and the asset on other sources', () => {
    expect(reportReads(mapped, { id: 1, source: 'binance', symbol: 'BTCUSDT' })).toBe(true);
    expect(reportReads(mapped, { id: 2, source: 'binance', symbol: 'BTCUSDT' })).toBe(true);
    expect(reportReads(mapped, { id: 3, source: 'coingecko', symbol: 'bitcoin/usd' })).toBe(true);
  });

  it('not another symbol, nor the same symbol on an unmapped source', () => {
    expect(reportReads(mapped, { id: 4, source: 'binance', symbol: 'ETHUSDT' })).toBe(false);
    expect(reportReads(mapped, { id: 5, source: 'ccxt:kraken', symbol: 'BTCUSDT' })).toBe(false);
    expect(reportReads(report(1, { symbol: 'BTCUSDT' }), { id: 3, source: 'coingecko', symbol: 'bitcoin/usd' })).toBe(
      false,
    );
  });
});

describe('chart around a finding', () => {
  it('opens the candles with 30 candles of context either side', () => {
    expect(chartAround(7, '1m', 600_000)).toEqual({
      page: 'chart',
      seriesId: 7,
      from: 600_000 - 1_800_000,
      to: 660_000 + 1_800_000,
    });
    expect(chartAround(7, '1h', 0, 7_200_000)).toEqual({
      page: 'chart',
      seriesId: 7,
      from: -108_000_000,
      to: 7_200_000 + 108_000_000,
    });
  });
});
