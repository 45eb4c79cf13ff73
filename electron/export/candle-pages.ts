/**
 * Reading a series' candles in pages, for exports that stream. Each page is one finished query, so
 * no statement stays open across the awaits of a slow reader: better-sqlite3 refuses every other
 * statement on the connection while an iterator is open (the server keeps answering the dashboard
 * during a long download).
 */
import type { Store } from '../store/store.js';
import type { Candle } from '../../shared/domain.js';
import type { SqlStatement as Statement } from '../store/sql-db.js';

export const PAGE_SIZE = 8192;

const statements = new WeakMap<Store, Statement>();

function pageStatement(store: Store): Statement {
  let stmt = statements.get(store);
  if (!stmt) {
    stmt = store.db.prepare(
      'SELECT ts, open, high, low, close, volume FROM candles WHERE series_id = ? AND ts >= ? AND ts < ? ORDER BY ts LIMIT ?',
    );
    statements.set(store, stmt);
  }
  return stmt;
}

/** Candles of a series with open time in [from, to), oldest first, at most `pageSize` at a time. */
export async function* candlePages(
  store: Store,
  seriesId: number,
  from: number,
  to: number,
  pageSize = PAGE_SIZE,
): AsyncGenerator<Candle[]> {
  let next = from;
  for (;;) {
    const page = pageStatement(store).all(seriesId, next, to, pageSize) as Candle[];
    if (page.length) yield page;
    if (page.length < pageSize) return;
    next = page[page.length - 1]!.ts + 1;
  }
}

/** How many candles [from, to) holds (for headers and the contract's answer). */
export function countCandles(store: Store, seriesId: number, from: number, to: number): number {
  return (
    store.db
      .prepare('SELECT COUNT(*) AS n FROM candles WHERE series_id = ? AND ts >= ? AND ts < ?')
      .get(seriesId, from, to) as { n: number }
  ).n;
}
