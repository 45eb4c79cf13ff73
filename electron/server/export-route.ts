/**
 * Downloads of stored candles for the dashboard: the contract's `candles:export` answers a link, and
 * GET /export?seriesId=&from=&to=&format= streams the file (CSV, JSON or Parquet) page by page with
 * back-pressure, so a year of 1m candles never sits in memory and other requests keep being answered.
 * The series is checked here; the candles are read and formatted where `reads` runs (reads.ts).
 */
import type http from 'node:http';
import type { Store } from '../store/store.js';
import type { ExportLink } from '../../shared/contract.js';
import { channelArgs } from '../../shared/schemas.js';
import { ApiError } from './api-error.js';
import { countCandles } from '../export/candle-pages.js';
import { CONTENT_TYPES, exportFileName } from '../export/export-formats.js';
import type { CandleSink } from '../export/candle-sink.js';
import { streamSink } from '../export/candle-sink.js';
import type { Reads } from './reads.js';

type ExportArgs = { seriesId: number; from: number; to: number; format: ExportLink['format'] };

export function exportLink(store: Store, args: ExportArgs): ExportLink {
  const series = store.series.get(args.seriesId);
  if (!series) throw new ApiError(`no series with id ${args.seriesId}`);
  const query = new URLSearchParams({
    seriesId: String(series.id),
    from: String(args.from),
    to: String(args.to),
    format: args.format,
  });
  return {
    url: `/export?${query}`,
    filename: exportFileName(series, args.from, args.to, args.format),
    format: args.format,
    candles: countCandles(store, series.id, args.from, args.to),
  };
}

function fail(res: http.ServerResponse, status: number, message: string): void {
  const text = JSON.stringify({ error: { name: 'ApiError', message } });
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

export function exportRoute(
  store: Store,
  reads: Reads,
): (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => boolean {
  return (req, res, url) => {
    if (url.pathname !== '/export') return false;
    if (req.method !== 'GET') {
      fail(res, 405, 'use GET /export?seriesId=&from=&to=&format=');
      return true;
    }
    const q = url.searchParams;
    const num = (name: string): number | null => (/^\d{1,16}$/.test(q.get(name) ?? '') ? Number(q.get(name)) : null);
    const parsed = channelArgs['candles:export'].safeParse({
      seriesId: num('seriesId'),
      from: num('from'),
      to: num('to'),
      format: q.get('format') ?? 'csv',
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      fail(res, 400, `bad export request: ${issue?.path.join('.') || 'query'}: ${issue?.message ?? 'invalid'}`);
      return true;
    }
    const { seriesId, from, to, format } = parsed.data;
    const series = store.series.get(seriesId);
    if (!series) {
      fail(res, 404, `no series with id ${seriesId}`);
      return true;
    }
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[format],
      'Content-Disposition': `attachment; filename="${exportFileName(series, from, to, format)}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    const out = streamSink(res);
    // A download the browser abandoned stops the export at its next write.
    const sink: CandleSink = {
      write: (chunk) => (res.destroyed ? Promise.reject(new Error('download cancelled')) : out.write(chunk)),
    };
    reads.exportTo({ series, from, to, format }, sink).then(
      () => res.end(),
      () => res.destroy(),
    );
    return true;
  };
}
