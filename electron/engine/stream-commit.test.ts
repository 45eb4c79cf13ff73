import { describe, expect, it } from 'vitest';
import { tempStorePerTest } from '../test-support/temp-store.js';
import { BinanceSource } from '../sources/binance.js';
import { ManualClock } from '../net/clock.js';
import { Network } from '../net/network.js';
import { commitStreamCandle } from './stream-commit.js';
import type { StreamKline } from '../sources/kline-stream.js';

const T = Date.parse('2024-06-01T12:00:00Z');
const MINUTE = 60_000;

describe('storing a closed candle from a stream', () => {
  const store = tempStorePerTest();
  const clock = new ManualClock(T);
  const source = new BinanceSource({ hosts: ['http://127.0.0.1:9'], clock, network: new Network(clock) });
  const kline = (ts: number, close = 101): StreamKline => ({
    symbol: 'BTCUSDT',
    timeframe: '1m',
    closed: true,
    candle: { ts, open: 100, high: 102, low: 99, close, volume: 5 },
    raw: { k: { t: ts } },
  });
  const setup = () => {
    const series = store().series.ensure({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, T - 10 * MINUTE, T);
    store().candles.upsert(
      series.id,
      Array.from({ length: 10 }, (_, i) => ({
        ts: T - (10 - i) * MINUTE,
        open: 100,
        high: 102,
        low: 99,
        close: 101,
        volume: 5,
      })),
    );
    return series;
  };
  const options = { hasVolume: true };

  it('stores the candle right after the stored tail, with nothing said about absence', () => {
    const series = setup();
    const out = commitStreamCandle(store(), source, series, kline(T), T + MINUTE, options);
    expect(out).toMatchObject({ outcome: 'stored', result: { stored: 1, rejected: 0 } });
    expect(store().candles.range(series.id, T, T + MINUTE)).toEqual([kline(T).candle]);
    expect(store().holes.list(series.id)).toEqual([]);
    // The same message again changes nothing.
    expect(commitStreamCandle(store(), source, series, kline(T), T + MINUTE, options)).toMatchObject({
      outcome: 'stored',
      result: { stored: 0 },
    });
  });

  it('keeps a candle that arrives ahead of a missing one out of the store and the ledger', () => {
    const series = setup();
    expect(commitStreamCandle(store(), source, series, kline(T + MINUTE), T + 2 * MINUTE, options)).toEqual({
      outcome: 'ahead',
    });
    expect(store().candles.range(series.id, T, T + 2 * MINUTE)).toEqual([]);
    expect(store().holes.list(series.id)).toEqual([]);
  });

  it('trusts a closing message a few seconds before our clock says the candle closed, not a minute', () => {
    const series = setup();
    expect(commitStreamCandle(store(), source, series, kline(T), T + MINUTE - 3_000, options)).toMatchObject({
      outcome: 'stored',
      result: { stored: 1 },
    });
    const early = commitStreamCandle(store(), source, series, kline(T + MINUTE), T + MINUTE + 1_000, options);
    expect(early).toMatchObject({ outcome: 'stored', result: { stored: 0, rejected: 1 } });
    expect(
      store()
        .rejected.list(series.id)
        .map((r) => r.reason),
    ).toEqual(['forming']);
  });
});
