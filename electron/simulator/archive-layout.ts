/**
 * data.binance.vision's file layout and publication schedule as the simulator models them
 * (docs/SOURCES.md "Binance public data archives"):
 *   data/spot/{monthly|daily}/klines/{SYMBOL}/{interval}/{SYMBOL}-{interval}-{YYYY-MM|YYYY-MM-DD}.zip[.CHECKSUM]
 * `1mo` stands for 1M (case-insensitive file systems); daily files exist only up to 1d; a daily file
 * appears the next day, a monthly one on the first Monday of the next month.
 */
import { DAY_MS, HOUR_MS, isTimeframe, type Timeframe } from '../../shared/timeframe.js';

export type ArchiveGranularity = 'monthly' | 'daily';

export interface ArchiveFile {
  granularity: ArchiveGranularity;
  symbol: string;
  interval: Timeframe;
  /** Open times the file covers: [from, to). */
  from: number;
  to: number;
  /** e.g. BTCUSDT-1m-2024-01.zip */
  name: string;
  /** e.g. data/spot/monthly/klines/BTCUSDT/1m/BTCUSDT-1m-2024-01.zip */
  path: string;
}

/** Intervals with daily files (1s..1d on the real site; 3d, 1w and 1mo are monthly only). */
const NO_DAILY: ReadonlySet<Timeframe> = new Set(['3d', '1w', '1M']);
/** How long after the end of its day a daily file is published. */
export const DAILY_PUBLISH_DELAY_MS = 3 * HOUR_MS;

export const intervalName = (tf: Timeframe): string => (tf === '1M' ? '1mo' : tf);

function intervalFromName(name: string): Timeframe | null {
  if (name === '1mo') return '1M';
  return isTimeframe(name) && name !== '1M' ? name : null;
}

const pad = (n: number): string => String(n).padStart(2, '0');

export function archiveFile(
  granularity: ArchiveGranularity,
  symbol: string,
  interval: Timeframe,
  from: number,
): ArchiveFile {
  const d = new Date(from);
  const month = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
  const period = granularity === 'monthly' ? month : `${month}-${pad(d.getUTCDate())}`;
  const to = granularity === 'monthly' ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) : from + DAY_MS;
  const name = `${symbol}-${intervalName(interval)}-${period}.zip`;
  return {
    granularity,
    symbol,
    interval,
    from,
    to,
    name,
    path: `data/spot/${granularity}/klines/${symbol}/${intervalName(interval)}/${name}`,
  };
}

/** The file a request path names (without the leading slash, with or without .CHECKSUM), or null. */
export function parseArchivePath(path: string): { file: ArchiveFile; checksum: boolean } | null {
  const m =
    /^data\/spot\/(monthly|daily)\/klines\/([A-Z0-9]{1,20})\/([0-9a-z]+)\/([A-Z0-9]{1,20})-([0-9a-z]+)-(\d{4})-(\d{2})(?:-(\d{2}))?\.zip(\.CHECKSUM)?$/.exec(
      path,
    );
  if (!m) return null;
  const [, granularity, symbol, dirInterval, fileSymbol, fileInterval, year, month, day, checksum] = m;
  const interval = intervalFromName(dirInterval!);
  if (!interval || symbol !== fileSymbol || dirInterval !== fileInterval) return null;
  if ((granularity === 'daily') !== (day !== undefined)) return null;
  if (granularity === 'daily' && NO_DAILY.has(interval)) return null;
  const from = Date.UTC(Number(year), Number(month) - 1, Number(day ?? 1));
  const file = archiveFile(granularity as ArchiveGranularity, symbol!, interval, from);
  // Reject dates that do not exist (2024-02-30 would otherwise roll over into March).
  if (!path.startsWith(file.path)) return null;
  return { file, checksum: checksum !== undefined };
}

/** First Monday 00:00 UTC on or after `ts` (ts at midnight). */
function firstMondayFrom(ts: number): number {
  const weekday = new Date(ts).getUTCDay();
  return ts + ((8 - weekday) % 7) * DAY_MS;
}

/** When the file becomes downloadable. */
export function publishedAt(file: ArchiveFile): number {
  return file.granularity === 'daily' ? file.to + DAILY_PUBLISH_DELAY_MS : firstMondayFrom(file.to);
}

/** Every file of one granularity whose period overlaps [from, to). */
export function filesOverlapping(
  granularity: ArchiveGranularity,
  symbol: string,
  interval: Timeframe,
  from: number,
  to: number,
): ArchiveFile[] {
  if (granularity === 'daily' && NO_DAILY.has(interval)) return [];
  const out: ArchiveFile[] = [];
  const d = new Date(from);
  let start = granularity === 'monthly' ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) : from - (from % DAY_MS);
  while (start < to) {
    const file = archiveFile(granularity, symbol, interval, start);
    out.push(file);
    start = file.to;
  }
  return out;
}
