/**
 * Where Binance publishes spot kline archives (docs/SOURCES.md "Binance public data archives"):
 *   {base}/data/spot/{monthly|daily}/klines/{SYMBOL}/{interval}/{SYMBOL}-{interval}-{YYYY-MM|YYYY-MM-DD}.zip
 * plus `.zip.CHECKSUM` (sha256sum output). `1mo` names the 1M interval; daily files exist up to 1d.
 * Daily files appear the next day; monthly ones on the first Monday of the next month.
 */
import { DAY_MS, type Timeframe } from '../../shared/timeframe.js';

export const BINANCE_DATA_DEFAULT_URL = 'https://data.binance.vision';

export type ArchiveGranularity = 'monthly' | 'daily';

/** One archive file: a symbol's candles of one interval with open times in [from, to). */
export interface ArchivePeriod {
  granularity: ArchiveGranularity;
  symbol: string;
  timeframe: Timeframe;
  from: number;
  to: number;
  /** e.g. 2024-01 or 2024-01-15 */
  label: string;
}

const WITHOUT_DAILY: ReadonlySet<Timeframe> = new Set(['3d', '1w', '1M']);

export const hasDailyArchives = (tf: Timeframe): boolean => !WITHOUT_DAILY.has(tf);

const pad = (n: number): string => String(n).padStart(2, '0');

export function monthOf(series: { symbol: string; timeframe: Timeframe }, ts: number): ArchivePeriod {
  const d = new Date(ts);
  const from = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const to = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return {
    granularity: 'monthly',
    symbol: series.symbol,
    timeframe: series.timeframe,
    from,
    to,
    label: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`,
  };
}

export function dayOf(series: { symbol: string; timeframe: Timeframe }, ts: number): ArchivePeriod {
  const from = ts - (((ts % DAY_MS) + DAY_MS) % DAY_MS);
  const d = new Date(from);
  return {
    granularity: 'daily',
    symbol: series.symbol,
    timeframe: series.timeframe,
    from,
    to: from + DAY_MS,
    label: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
  };
}

/** The interval as the archive names it. */
export const archiveInterval = (tf: Timeframe): string => (tf === '1M' ? '1mo' : tf);

/** File name, e.g. BTCUSDT-1m-2024-01.zip */
export function archiveName(p: ArchivePeriod): string {
  return `${p.symbol}-${archiveInterval(p.timeframe)}-${p.label}.zip`;
}

/** URL of the zip (append .CHECKSUM for its checksum). */
export function archiveUrl(baseUrl: string, p: ArchivePeriod): string {
  return `${baseUrl.replace(/\/+$/, '')}/data/spot/${p.granularity}/klines/${p.symbol}/${archiveInterval(p.timeframe)}/${archiveName(p)}`;
}

/** When a monthly file is expected to exist: the first Monday after its month (plus a day of slack). */
export function monthlyExpectedAt(p: ArchivePeriod): number {
  const weekday = new Date(p.to).getUTCDay();
  return p.to + ((8 - weekday) % 7) * DAY_MS + DAY_MS;
}
