/**
 * Which sources have bulk history besides their API, and how to reach it: Binance spot publishes
 * kline archives at data.binance.vision (CANDLEKEEP_BINANCE_DATA_URL points elsewhere, e.g. at the
 * simulator's /binance-data; CANDLEKEEP_BINANCE_ARCHIVES=off disables them). When the REST API is
 * pointed elsewhere (CANDLEKEEP_BINANCE_URL: a simulator, a proxy) and the archives are not, they are
 * off too: the public archives would not match that API, and a cross-check against it would fail.
 */
import type { Store } from '../store/store.js';
import type { Clock } from '../net/clock.js';
import { ArchiveBackfill, type ArchiveProgress } from './archive-backfill.js';
import { BinanceArchiveClient } from '../sources/binance-archive.js';
import { BINANCE_DATA_DEFAULT_URL } from '../sources/binance-archive-layout.js';
import type { Source } from '../sources/source.js';

export interface BulkContext {
  store: Store;
  clock: Clock;
  env: NodeJS.ProcessEnv;
  onProgress?: (p: ArchiveProgress) => void;
}

export function binanceDataUrl(env: NodeJS.ProcessEnv): string {
  return env.CANDLEKEEP_BINANCE_DATA_URL?.trim() || BINANCE_DATA_DEFAULT_URL;
}

/** The bulk history of `source`, or undefined when it has none (or it is turned off). */
export function bulkHistoryFor(source: Source, ctx: BulkContext): ArchiveBackfill | undefined {
  if (source.id !== 'binance' || ctx.env.CANDLEKEEP_BINANCE_ARCHIVES === 'off') return undefined;
  if (!ctx.env.CANDLEKEEP_BINANCE_DATA_URL?.trim() && ctx.env.CANDLEKEEP_BINANCE_URL?.trim()) return undefined;
  const client = new BinanceArchiveClient({ baseUrl: binanceDataUrl(ctx.env), clock: ctx.clock });
  return new ArchiveBackfill({ store: ctx.store, clock: ctx.clock, source, client, onProgress: ctx.onProgress });
}
