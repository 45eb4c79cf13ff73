/**
 * Charts and gap maps aggregate in SQL: a year of candles must come back as at most `maxBuckets`
 * buckets. (better-sqlite3 binds JS numbers as REAL, which once turned the bucket index into a float
 * division: every candle became its own bucket.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { Store } from '../store/store.js';
import { tempDir } from '../test-support/temp-db.js';
import { bucketsFor } from './chart-buckets.js';
import { gapMap } from './gap-map.js';

const T0 = Date.UTC(2024, 0, 1);
const MIN = 60_000;

describe('server-side buckets', () => {
  let cleanup = (): void => undefined;
  afterEach(() => cleanup());

  function storeWith(minutes: number): { store: Store; seriesId: number } {
    const dir = tempDir();
    cleanup = dir.cleanup;
    const store = Store.open(path.join(dir.dir, 'b.db'));
    const series = store.series.ensure({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, T0, T0);
    const insert = store.db.prepare(
      'INSERT INTO candles (series_id, ts, open, high, low, close, volume) VALUES (?, ?, ?, ?, ?, ?, 1)',
    );
    store.transaction(() => {
      for (let i = 0; i < minutes; i++) insert.run(series.id, T0 + i * MIN, 100 + i, 101 + i, 99 + i, 100.5 + i);
    });
    return { store, seriesId: series.id };
  }

  it('aggregates candles into at most maxBuckets OHLCV buckets', () => {
    const { store, seriesId } = storeWith(3_000);
    const r = bucketsFor(store, { seriesId, from: T0, to: T0 + 3_000 * MIN, maxBuckets: 3 });
    expect(r.buckets.length).toBeLessThanOrEqual(3);
    expect(r.buckets.reduce((n, b) => n + b.count, 0)).toBe(3_000);
    // Buckets are aligned to their width (so they stay put while a chart pans): the first starts at or before T0.
    const first = r.buckets[0]!;
    expect(first.ts).toBeLessThanOrEqual(T0);
    expect(first.open).toBe(100);
    expect(first.close).toBe(100.5 + first.count - 1);
    expect(first.high).toBe(101 + first.count - 1);
    store.close();
  });

  it('counts stored candles per gap-map bucket', () => {
    const { store, seriesId } = storeWith(600);
    const series = store.series.get(seriesId)!;
    const map = gapMap(store, series, T0, T0 + 600 * MIN, 6, T0 + 600 * MIN);
    expect(map.buckets.length).toBeLessThanOrEqual(6);
    expect(map.buckets.reduce((n, b) => n + b.stored, 0)).toBe(600);
    expect(map.buckets.every((b) => b.stored === b.expected && b.state === 'stored')).toBe(true);
    store.close();
  });
});
