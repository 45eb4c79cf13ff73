/**
 * The kline page parser's worker thread (kline-pages.ts): reads big kline pages off the main thread,
 * which meanwhile stores the page before. It reads the bytes as they came, offsets are byte offsets.
 */
import { parentPort } from 'node:worker_threads';
import { scanKlinesPacked } from './binance-kline-scan.js';
import type { KlinePageReply, KlinePageRequest } from './kline-pages.js';

parentPort!.on('message', ({ id, bytes }: KlinePageRequest) => {
  const scan = scanKlinesPacked(bytes);
  if (!scan) return parentPort!.postMessage({ id, scan: null } satisfies KlinePageReply);
  parentPort!.postMessage({ id, scan } satisfies KlinePageReply, [
    scan.values.buffer as ArrayBuffer,
    scan.closeTimes.buffer as ArrayBuffer,
    scan.bounds.buffer as ArrayBuffer,
  ]);
});
