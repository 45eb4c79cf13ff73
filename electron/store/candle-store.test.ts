import { expect, it } from 'vitest';
import { describeBackends } from '../test-support/backends.js';
import type { Candle } from '../../shared/domain.js';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const candle = (i: number, close = 100 + i): Candle => ({
  ts: T0 + i * 60_000,
  open: 100,
  high: 200,
  low: 50,
  close,
  volume: 1,
});
describeBackends('candle store', (databases) => {
  it('counts candles per series without recounting, through inserts, updates and unchanged rewrites', () => {
    const store = databases.openStore();
    const id = store.series.ensure({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, T0, T0).id;
    const actual = (): number =>
      (store.db.prepare('SELECT COUNT(*) AS n FROM candles WHERE series_id = ?').get(id) as { n: number }).n;
    expect(store.candles.total(id)).toBe(0);
    expect(
      store.candles.upsert(
        id,
        Array.from({ length: 250 }, (_, i) => candle(i)),
      ),
    ).toBe(250);
    expect(
      store.candles.upsert(
        id,
        Array.from({ length: 250 }, (_, i) => candle(i)),
      ),
    ).toBe(0); // nothing changed
    expect(store.candles.upsert(id, [candle(10, 1), candle(300), candle(301)])).toBe(3); // one revised, two new
    expect(store.candles.total(id)).toBe(252);
    expect(actual()).toBe(252);
    expect(store.series.summaries()[0]).toMatchObject({ candleCount: 252, firstTs: T0, lastTs: T0 + 301 * 60_000 });
    expect(store.series.remove(id)).toBe(252);
    expect(store.candles.total(id)).toBe(0);
  });

  it('stores a page again as changes only, and keeps the transaction usable after meeting stored rows', () => {
    const store = databases.openStore();
    const id = store.series.ensure({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, T0, T0).id;
    const page = Array.from({ length: 50 }, (_, i) => candle(i));
    expect(store.transaction(() => store.candles.upsert(id, page))).toBe(50);
    // No count cached: the write finds the rows stored, and the same transaction goes on.
    const changed = store.transaction(() => {
      const n = store.candles.upsert(id, [...page.slice(0, 49), candle(49, 1), candle(50)]);
      store.candles.upsert(id, [candle(51)]);
      return n;
    });
    expect(changed).toBe(2); // one revised, one new
    expect(store.candles.range(id, T0, T0 + 60 * 60_000).map((c) => c.close)).toEqual([
      ...page.slice(0, 49).map((c) => c.close),
      1,
      150,
      151,
    ]);
  });

  it('reads back exactly the numbers it stored on a fresh range: long fractions, tiny and huge values, no volume', () => {
    const store = databases.openStore();
    const id = store.series.ensure({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, T0, T0).id;
    const odd: Candle[] = [
      { ts: T0, open: 0.1 + 0.2, high: 1e21, low: 5e-324, close: 16_500.123456789012, volume: null },
      { ts: T0 + 60_000, open: -0, high: 2 ** 53 + 2, low: 1e-7, close: 123456.7, volume: 0.000_001_234 },
      // Before 1970: a negative open time.
      { ts: -60_000, open: 1, high: 1, low: 1, close: 1, volume: 1 },
    ];
    expect(store.transaction(() => store.candles.upsert(id, odd))).toBe(3);
    expect(store.candles.range(id, -60_000, T0 + 120_000)).toEqual([odd[2], { ...odd[0] }, { ...odd[1], open: 0 }]);
  });

  it('re-aggregates buckets: open of the first candle, close of the last, extremes, summed volume', () => {
    const store = databases.openStore();
    const id = store.series.ensure({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, T0, T0).id;
    const rows: Candle[] = [
      { ts: T0, open: 10, high: 12, low: 9, close: 11, volume: 1 },
      { ts: T0 + 60_000, open: 11, high: 15, low: 10, close: 14, volume: 2 },
      { ts: T0 + 4 * 60_000, open: 14, high: 14.5, low: 8, close: 9, volume: 3 },
    ];
    store.candles.upsert(id, rows);
    expect(store.candles.buckets(id, T0, T0 + 6 * 60_000, 3 * 60_000, T0)).toEqual([
      { ts: T0, open: 10, high: 15, low: 9, close: 14, volume: 3, count: 2 },
      { ts: T0 + 3 * 60_000, open: 14, high: 14.5, low: 8, close: 9, volume: 3, count: 1 },
    ]);
  });
});
