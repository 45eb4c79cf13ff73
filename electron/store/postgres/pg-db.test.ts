/**
 * The synchronous PostgreSQL surface on a real server: transactions commit whole or not at all,
 * a failing inner transaction rolls back only its own writes, statements take SQLite's placeholders,
 * and numbers come back as numbers.
 */
import { expect, it } from 'vitest';
import { Store } from '../store.js';
import { describeBackends } from '../../test-support/backends.js';

const rows = (store: Store): number[] =>
  (store.db.prepare('SELECT v FROM t ORDER BY v').all() as Array<{ v: number }>).map((r) => r.v);

describeBackends('transactions and statements', (databases) => {
  const withTable = (): Store => {
    const store = databases.openStore();
    store.db.exec('CREATE TABLE t (v BIGINT PRIMARY KEY)');
    return store;
  };

  it('commits a transaction whole, and a failed one leaves nothing', () => {
    const store = withTable();
    store.transaction(() => {
      store.db.prepare('INSERT INTO t (v) VALUES (?)').run(1);
      store.db.prepare('INSERT INTO t (v) VALUES (?)').run(2);
    });
    expect(() =>
      store.transaction(() => {
        store.db.prepare('INSERT INTO t (v) VALUES (?)').run(3);
        throw new Error('changed my mind');
      }),
    ).toThrow('changed my mind');
    expect(rows(store)).toEqual([1, 2]);
  });

  it('rolls back a failed inner database transaction alone, and the outer one goes on to commit', () => {
    const store = withTable();
    const tx = <T>(fn: () => T): T => store.db.transaction(fn)();
    tx(() => {
      store.db.prepare('INSERT INTO t (v) VALUES (?)').run(1);
      expect(() =>
        tx(() => {
          store.db.prepare('INSERT INTO t (v) VALUES (?)').run(2);
          store.db.prepare('INSERT INTO t (v) VALUES (?)').run(1); // duplicate key
        }),
      ).toThrow();
      tx(() => store.db.prepare('INSERT INTO t (v) VALUES (?)').run(4));
      tx(() => undefined); // nothing inside: nothing sent
    });
    expect(rows(store)).toEqual([1, 4]);
  });

  it('a store transaction inside another that fails, uncaught, leaves nothing of either', () => {
    const store = withTable();
    expect(() =>
      store.transaction(() => {
        store.db.prepare('INSERT INTO t (v) VALUES (?)').run(1);
        store.transaction(() => store.db.prepare('INSERT INTO t (v) VALUES (?)').run(2));
        store.transaction(() => store.db.prepare('INSERT INTO t (v) VALUES (?)').run(1)); // duplicate key
      }),
    ).toThrow();
    expect(rows(store)).toEqual([]);
    store.transaction(() => store.transaction(() => store.db.prepare('INSERT INTO t (v) VALUES (?)').run(5)));
    expect(rows(store)).toEqual([5]);
  });

  it('binds ? and @name placeholders, leaves quoted ? alone, and returns numbers, pluck and raw rows', () => {
    const store = withTable();
    store.db.prepare('INSERT INTO t (v) VALUES (?), (?)').run([1_700_000_000_000, 7]);
    const named = store.db.prepare("SELECT COUNT(*) AS n, '?' AS q FROM t WHERE v >= @low AND v < @high").get({
      low: 5,
      high: 1_700_000_000_001,
    });
    expect(named).toEqual({ n: 2, q: '?' });
    expect(store.db.prepare('SELECT v FROM t ORDER BY v').pluck().all()).toEqual([7, 1_700_000_000_000]);
    expect(store.db.prepare('SELECT v, v + 1 AS w FROM t ORDER BY v').raw().all()).toEqual([
      [7, 8],
      [1_700_000_000_000, 1_700_000_000_001],
    ]);
    expect(store.db.prepare('SELECT SUM(v) AS s FROM t').get()).toEqual({ s: 1_700_000_000_007 });
  });
});

describeBackends('a transaction whose commit is awaited', (databases) => {
  const candle = (ts: number, close: number) => ({ ts, open: 1, high: 2, low: 0.5, close, volume: 10 });
  const page = (from: number, n: number, close = 1.5) =>
    Array.from({ length: n }, (_, i) => candle((from + i) * 60_000, close));

  it('stores its candles at the commit, and a read inside it already sees them', async () => {
    const store = databases.openStore();
    const series = store.series.ensure({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, 0, 0);
    const inside = await store.transactionAsync(() => {
      const first = store.candles.upsert(series.id, page(0, 600));
      const second = store.candles.upsert(series.id, page(600, 600));
      return { first, second, seen: store.candles.count(series.id, 0, 1200 * 60_000) };
    });
    expect(inside).toEqual({ first: 600, second: 600, seen: 1200 });
    expect(store.candles.range(series.id, 0, 1200 * 60_000)).toEqual(page(0, 1200));
  });

  it('meeting rows stored before, runs again and counts only what changed', async () => {
    const store = databases.openStore();
    const series = store.series.ensure({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, 0, 0);
    store.transaction(() => store.candles.upsert(series.id, page(100, 50)));
    let runs = 0;
    const changed = await store.transactionAsync(() => {
      runs++;
      return store.candles.upsert(series.id, [...page(0, 100), ...page(100, 50, 9)]);
    });
    // On PostgreSQL the kept COPY meets the stored rows at the commit, and the transaction runs again.
    expect(runs).toBe(store.dialect === 'postgres' ? 2 : 1);
    expect(changed).toBe(150);
    expect(store.candles.range(series.id, 0, 150 * 60_000)).toEqual([...page(0, 100), ...page(100, 50, 9)]);
  });

  it("keeps a series' count true when it fails, when an inner one is rolled back, and when it runs again", async () => {
    const target = databases.target();
    const store = Store.open(target);
    const other = Store.open(target);
    try {
      const series = store.series.ensure({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, 0, 0);
      expect(store.candles.total(series.id)).toBe(0); // counted now, and kept up to date from here
      await expect(
        store.transactionAsync(() => {
          store.candles.upsert(series.id, page(0, 10));
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(store.candles.total(series.id)).toBe(0);
      await store.transactionAsync(() => {
        store.candles.upsert(series.id, page(0, 10));
        expect(() =>
          store.transaction(() => {
            store.candles.upsert(series.id, page(10, 10));
            throw new Error('inner failure');
          }),
        ).toThrow('inner failure');
      });
      expect(store.candles.total(series.id)).toBe(10);
      // Another process stores some of the same rows while this transaction writes them (on
      // PostgreSQL: with SQLite it would wait for this one's write lock), once: the body may run twice.
      await store.transactionAsync(() => {
        store.candles.upsert(series.id, page(10, 100));
        if (store.dialect === 'postgres' && !other.candles.count(series.id, 50 * 60_000, 60 * 60_000))
          other.transaction(() => other.candles.upsert(series.id, page(50, 10)));
      });
      expect(store.candles.range(series.id, 0, 200 * 60_000)).toEqual(page(0, 110));
      expect(store.candles.total(series.id)).toBe(110);
    } finally {
      other.close();
      store.close();
    }
  });

  it('leaves nothing when it fails, and drops the candles of an inner transaction rolled back', async () => {
    const store = databases.openStore();
    const series = store.series.ensure({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, 0, 0);
    await expect(
      store.transactionAsync(() => {
        store.candles.upsert(series.id, page(0, 10));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await store.transactionAsync(() => {
      store.candles.upsert(series.id, page(0, 10));
      expect(() =>
        store.transaction(() => {
          store.candles.upsert(series.id, page(10, 10));
          // Reads its own rows (the kept ones are sent inside this savepoint), then fails.
          expect(store.candles.count(series.id, 0, 20 * 60_000)).toBe(20);
          throw new Error('inner failure');
        }),
      ).toThrow('inner failure');
    });
    expect(store.candles.range(series.id, 0, 20 * 60_000)).toEqual(page(0, 10));
  });
});
