/**
 * Binance kline stream messages (docs/SOURCES.md "Binance kline streams"): a `kline` event, raw or in
 * a combined stream's `{stream, data}` wrapper, and the `{result, id}` replies to SUBSCRIBE. Parsing
 * is strict about shape; a price that is not a number becomes NaN so validation quarantines it.
 */
import { isTimeframe, type Timeframe } from '../../shared/timeframe.js';
import type { StreamKey, StreamKline } from './kline-stream.js';

export type StreamMessage =
  | { kind: 'kline'; kline: StreamKline }
  | { kind: 'reply'; id: number | string | null; error: string | null }
  | { kind: 'other' };

/** The stream name of a series: lower-case symbol, `@kline_`, interval. */
export function klineStreamName(key: StreamKey): string {
  return `${key.symbol.toLowerCase()}@kline_${key.timeframe}`;
}

const decimal = (v: unknown): number => (typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN);

export function parseStreamMessage(text: string): StreamMessage {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return { kind: 'other' };
  }
  if (!message || typeof message !== 'object') return { kind: 'other' };
  const m = message as Record<string, unknown>;
  if ('result' in m || 'error' in m) {
    const id = typeof m.id === 'number' || typeof m.id === 'string' ? m.id : null;
    const error = m.error && typeof m.error === 'object' ? String((m.error as { msg?: unknown }).msg ?? 'error') : null;
    return { kind: 'reply', id, error };
  }
  const event = (m.data && typeof m.data === 'object' ? m.data : m) as Record<string, unknown>;
  const k = event.k as Record<string, unknown> | undefined;
  if (event.e !== 'kline' || !k || typeof k !== 'object') return { kind: 'other' };
  if (
    typeof k.t !== 'number' ||
    typeof k.s !== 'string' ||
    typeof k.i !== 'string' ||
    !isTimeframe(k.i) ||
    typeof k.x !== 'boolean'
  )
    return { kind: 'other' };
  return {
    kind: 'kline',
    kline: {
      symbol: k.s,
      timeframe: k.i as Timeframe,
      closed: k.x,
      candle: {
        ts: k.t,
        open: decimal(k.o),
        high: decimal(k.h),
        low: decimal(k.l),
        close: decimal(k.c),
        volume: decimal(k.v),
      },
      raw: event,
    },
  };
}
