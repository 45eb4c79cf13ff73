/** The database the dashboard bench reads: 20 series of 500,000 candles, with holes and 10 sources' health history. */
import { Store } from '../../electron/store/store.js';
import { loadHistory } from '../history-load.js';

const SYMBOLS = [
  'BTCUSDT',
  'ETHUSDT',
  'BNBUSDT',
  'SOLUSDT',
  'XRPUSDT',
  'ADAUSDT',
  'DOGEUSDT',
  'LTCUSDT',
  'ETHBTC',
  'NEWUSDT',
];
const TIMEFRAMES: Array<[string, number]> = [
  ['1m', 60_000],
  ['3m', 180_000],
];
export const PER_SERIES = 500_000;
const HOLES_PER_SERIES = 8;

/**
 * 20 series of 500,000 candles each, ending at the last closed candle (so the engine only tails), with
 * holes punched out and written to the ledger (open with a retry far away, or confirmed empty), so
 * the gap maps have something to show and the engine nothing to repair during the run.
 * Returns the series' ids, BTCUSDT 1m's first.
 */
export function buildDatabase(file: string): number[] {
  const store = Store.open(file);
  const now = Date.now();
  const insert = store.db.prepare(
    'INSERT INTO candles (series_id, ts, open, high, low, close, volume) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const hole = store.db.prepare(
    `INSERT INTO holes (series_id, from_ts, to_ts, state, cause, attempts, next_attempt_ts, last_error, detected_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 1, ?, NULL, ?, ?)`,
  );
  const ids: number[] = [];
  for (const symbol of SYMBOLS) {
    for (const [timeframe, step] of TIMEFRAMES) {
      const end = Math.floor(now / step) * step - step;
      const start = end - (PER_SERIES - 1) * step;
      const series = store.series.ensure({ source: 'binance', symbol, timeframe: timeframe as '1m' }, start, now);
      ids.push(series.id);
      const punched = Array.from({ length: HOLES_PER_SERIES }, (_, i) =>
        Math.floor(((i + 0.5) / HOLES_PER_SERIES) * PER_SERIES),
      );
      let price = 100;
      for (let from = 0; from < PER_SERIES; from += 100_000) {
        store.transaction(() => {
          for (let i = from; i < Math.min(PER_SERIES, from + 100_000); i++) {
            const at = punched.find((p) => i >= p && i < p + 30);
            if (at !== undefined) continue;
            const open = price;
            price *= 1 + Math.sin(i * 12.9898 + series.id) * 0.002;
            insert.run(
              series.id,
              start + i * step,
              open,
              Math.max(open, price) * 1.001,
              Math.min(open, price) * 0.999,
              price,
              10 + (i % 17),
            );
          }
        });
      }
      store.transaction(() => {
        punched.forEach((p, i) => {
          const open = i % 2 === 0;
          hole.run(
            series.id,
            start + p * step,
            start + (p + 30) * step,
            open ? 'open' : 'confirmed_empty',
            open ? 'fetch_failed' : 'source_gap',
            open ? now + 86_400_000 : null,
            now,
            now,
          );
        });
      });
    }
  }
  loadHistory(store, now);
  store.close();
  return ids;
}
