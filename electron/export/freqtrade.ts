/**
 * A freqtrade data directory from stored candles. freqtrade's JSON data handler reads
 * `<datadir>/<exchange>/<PAIR>-<timeframe>.json` (or .json.gz), where the pair's `/`, ` `, `.`, `@`,
 * `$`, `+` and `:` become `_` (BTC/USDT -> BTC_USDT), `1M` is written `1Mo`, and the file is a JSON
 * array of [open time ms, open, high, low, close, volume] rows (freqtrade/data/history/datahandlers:
 * idatahandler.py _pair_data_filename, jsondatahandler.py ohlcv_store). freqtrade defaults to feather,
 * so it is told `--data-format-ohlcv json` (or "dataformat_ohlcv": "json" in its config).
 * The file is written beside its final name and renamed at the end: never half-written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PassThrough } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { Candle, SeriesKey } from '../../shared/domain.js';
import { splitBinanceSymbol } from '../sources/binance-pairs.js';
import { BufferedSink, streamSink } from './candle-sink.js';

export type FreqtradeFormat = 'json' | 'jsongz';

/** freqtrade's exchange folder for a source id ('ccxt:kraken' -> kraken). */
export function freqtradeExchange(source: string): string {
  return source.startsWith('ccxt:') ? source.slice('ccxt:'.length) : source;
}

/** The BASE/QUOTE pair of a series, or null if it cannot be told (pass one explicitly). */
export function freqtradePair(key: SeriesKey): string | null {
  if (key.symbol.includes('/')) return key.symbol;
  if (key.source !== 'binance') return null;
  const split = splitBinanceSymbol(key.symbol);
  return split ? `${split.base}/${split.quote}` : null;
}

/** freqtrade's file name (misc.pair_to_filename + IDataHandler.timeframe_to_file). */
export function freqtradeFileName(pair: string, timeframe: string, format: FreqtradeFormat): string {
  return `${pair.replace(/[/ .@$+:]/g, '_')}-${timeframe.replace('M', 'Mo')}.${format === 'jsongz' ? 'json.gz' : 'json'}`;
}

export async function writeFreqtradeFile(
  file: string,
  pages: AsyncIterable<Candle[]>,
  format: FreqtradeFormat,
): Promise<number> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  const through = new PassThrough();
  const done =
    format === 'jsongz'
      ? pipeline(through, createGzip(), fs.createWriteStream(partial))
      : pipeline(through, fs.createWriteStream(partial));
  const out = new BufferedSink(streamSink(through));
  let count = 0;
  try {
    await out.write('[');
    for await (const page of pages) {
      let text = '';
      // freqtrade has no "unknown volume"; a candle without one is written with 0, as freqtrade fills gaps.
      for (const c of page)
        text += `${count++ ? ',' : ''}[${c.ts},${c.open},${c.high},${c.low},${c.close},${c.volume ?? 0}]`;
      await out.write(text);
    }
    await out.write(']');
    await out.flush();
    through.end();
    await done;
    fs.renameSync(partial, file);
    return count;
  } catch (err) {
    through.destroy();
    await done.catch(() => undefined);
    fs.rmSync(partial, { force: true });
    throw err;
  }
}
