/**
 * Where `candlekeep export` writes: stdout (text formats, or Parquet into a pipe), a file (--out,
 * written beside its name and renamed at the end, so never half-written), or a freqtrade data
 * directory (--freqtrade DIR).
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { line, type CliIo } from '../io.js';
import type { Store } from '../../store/store.js';
import type { Series } from '../../../shared/domain.js';
import { candlePages } from '../../export/candle-pages.js';
import { streamSink } from '../../export/candle-sink.js';
import { exportCandles, type ExportFormat } from '../../export/export-formats.js';
import {
  freqtradeExchange,
  freqtradeFileName,
  freqtradePair,
  writeFreqtradeFile,
  type FreqtradeFormat,
} from '../../export/freqtrade.js';

export interface ExportTarget {
  format: ExportFormat;
  out?: string;
  freqtrade?: { dir: string; format: FreqtradeFormat; pair?: string };
}

export function freqtradeFormat(value: unknown): FreqtradeFormat {
  const format = value ?? 'json';
  if (format !== 'json' && format !== 'jsongz')
    throw new UsageError(`unknown --freqtrade-format '${String(format)}': use json or jsongz`);
  return format;
}

export async function writeExport(
  store: Store,
  series: Series,
  from: number,
  to: number,
  target: ExportTarget,
  io: CliIo,
): Promise<void> {
  const pages = candlePages(store, series.id, from, to);
  if (target.freqtrade) {
    const { dir, format, pair: given } = target.freqtrade;
    const pair = given ?? freqtradePair(series);
    if (!pair || !/^[^/\s]+\/[^/\s]+$/.test(pair)) {
      throw new UsageError(
        `cannot tell the base and quote of ${series.symbol}: pass --pair BASE/QUOTE (e.g. --pair BTC/USDT)`,
      );
    }
    const exchangeDir = path.join(dir, freqtradeExchange(series.source));
    const file = path.join(exchangeDir, freqtradeFileName(pair, series.timeframe, format));
    const count = await writeFreqtradeFile(file, pages, format);
    line(io.stdout, `wrote ${count} candles to ${file}`);
    line(
      io.stdout,
      `backtest with: freqtrade backtesting --datadir ${exchangeDir} --data-format-ohlcv ${format} --timeframe ${series.timeframe} --pairs ${pair} ...`,
    );
    return;
  }
  if (!target.out) {
    if (target.format === 'parquet' && io.stdout.isTTY)
      throw new UsageError('Parquet is binary: pass --out FILE, or pipe stdout into a file');
    await exportCandles(target.format, pages, streamSink(io.stdout), series);
    return;
  }
  const partial = `${target.out}.partial`;
  fs.mkdirSync(path.dirname(path.resolve(target.out)), { recursive: true });
  const file = fs.createWriteStream(partial);
  const closed = new Promise<void>((resolve, reject) => {
    file.once('close', resolve);
    file.once('error', reject);
  });
  try {
    await exportCandles(target.format, pages, streamSink(file), series);
    file.end();
    await closed;
    fs.renameSync(partial, target.out);
  } catch (err) {
    file.destroy();
    fs.rmSync(partial, { force: true });
    throw err;
  }
}
