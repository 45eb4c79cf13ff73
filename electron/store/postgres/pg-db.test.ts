/**
 * The synchronous PostgreSQL surface on a real server: transactions commit whole or not at all,
 * a failing inner transaction rolls back only its own writes, statements take SQLite's placeholders,
 * and numbers come back as numbers.
 */
import { expect, it } from 'vitest';
import { describeBackends } from '../../test-support/backends.js';
import type { Store } from '../store.js';

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
