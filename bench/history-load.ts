/**
 * Health history at full retention for the dashboard bench: 10 sources × 2 hosts × 3 outcomes, in
 * hour buckets for 90 days and minute buckets for 7 days, as the request log's flush writes them.
 */
import type { Store } from '../electron/store/store.js';
import type { RequestOutcome } from '../electron/net/source-http.js';

export const HISTORY_SOURCES = [
  'binance',
  'coingecko',
  'yahoo',
  'ccxt:binance',
  'ccxt:kraken',
  'ccxt:bybit',
  'ccxt:okx',
  'ccxt:kucoin',
  'ccxt:bitstamp',
  'ccxt:gemini',
];
const MINUTE = 60_000;
const HOUR = 3_600_000;

/** One request per (source, host, outcome) per bucket, through the store's own aggregation: minutes for 7 days, hours for 90. */
export function loadHistory(store: Store, now: number): number {
  const outcomes: Array<[RequestOutcome['outcome'], number | null]> = [
    ['ok', 200],
    ['server_error', 503],
    ['timeout', null],
  ];
  let rows = 0;
  const put = (at: number): void => {
    const batch: RequestOutcome[] = [];
    for (const source of HISTORY_SOURCES) {
      for (const host of ['h1', 'h2']) {
        for (const [outcome, status] of outcomes)
          batch.push({ source, host, at, durationMs: 20 + (at % 977), status, outcome, weight: 2, error: null });
      }
    }
    store.history.recordRequests(batch);
    rows += batch.length;
  };
  store.transaction(() => {
    // Minutes write their hour too; the older hours get one request each.
    for (let at = now - 90 * 24 * HOUR; at < now - 7 * 24 * HOUR; at += HOUR) put(at);
    for (let at = Math.floor((now - 7 * 24 * HOUR) / MINUTE) * MINUTE; at < now; at += MINUTE) put(at);
  });
  return rows;
}
