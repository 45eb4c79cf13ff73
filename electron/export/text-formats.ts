/**
 * The text export formats. CSV: a header and one row per candle (`ts` epoch ms UTC, an empty volume
 * where the source publishes none). JSON: one array of {ts, open, high, low, close, volume} objects.
 * Numbers are written in the shortest form that reads back to the same double.
 */
import type { Candle } from '../../shared/domain.js';
import { BufferedSink, type CandleSink } from './candle-sink.js';

export const CSV_HEADER = 'ts,open,high,low,close,volume\n';

export async function writeCsv(pages: AsyncIterable<Candle[]>, sink: CandleSink): Promise<number> {
  const out = new BufferedSink(sink);
  let count = 0;
  await out.write(CSV_HEADER);
  for await (const page of pages) {
    let text = '';
    for (const c of page) text += `${c.ts},${c.open},${c.high},${c.low},${c.close},${c.volume ?? ''}\n`;
    count += page.length;
    await out.write(text);
  }
  await out.flush();
  return count;
}

export async function writeJson(pages: AsyncIterable<Candle[]>, sink: CandleSink): Promise<number> {
  const out = new BufferedSink(sink);
  let count = 0;
  await out.write('[');
  for await (const page of pages) {
    let text = '';
    for (const c of page) {
      text += `${count++ ? ',' : ''}\n{"ts":${c.ts},"open":${c.open},"high":${c.high},"low":${c.low},"close":${c.close},"volume":${c.volume ?? 'null'}}`;
    }
    await out.write(text);
  }
  await out.write(count ? '\n]\n' : ']\n');
  await out.flush();
  return count;
}
