/** Every export format by name, streaming candle pages into a sink; and what each file is called. */
import type { Candle, SeriesKey } from '../../shared/domain.js';
import type { CandleSink } from './candle-sink.js';
import { writeCsv, writeJson } from './text-formats.js';
import { writeParquet } from './parquet-format.js';

export const EXPORT_FORMATS = ['csv', 'json', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const isExportFormat = (value: unknown): value is ExportFormat =>
  (EXPORT_FORMATS as readonly unknown[]).includes(value);

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  parquet: 'application/vnd.apache.parquet',
};

export function exportCandles(
  format: ExportFormat,
  pages: AsyncIterable<Candle[]>,
  sink: CandleSink,
  key?: SeriesKey,
): Promise<number> {
  if (format === 'parquet') return writeParquet(pages, sink, key);
  return format === 'json' ? writeJson(pages, sink) : writeCsv(pages, sink);
}

/** e.g. binance-BTCUSDT-1m-20240101-20240201.parquet (ccxt:kraken BTC/USD -> ccxt-kraken-BTC-USD). */
export function exportFileName(key: SeriesKey, from: number, to: number, format: ExportFormat): string {
  const day = (ts: number): string => new Date(ts).toISOString().slice(0, 10).replaceAll('-', '');
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9_.-]+/g, '-');
  return `${safe(key.source)}-${safe(key.symbol)}-${key.timeframe}-${day(from)}-${day(to)}.${format}`;
}
