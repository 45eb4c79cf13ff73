/**
 * Turning one CSV row into a candle, or saying exactly what is wrong with it. The candle rules are
 * the same ones fetched candles pass (engine/validate.ts): finite numbers, high >= max(open, close),
 * low <= min(open, close), low > 0, volume >= 0 (empty: unknown), an open time on the timeframe's
 * grid, closed by now (never the forming candle, never the future).
 */
import type { Candle } from '../../shared/domain.js';
import type { Timeframe } from '../../shared/timeframe.js';
import { candleFault } from '../engine/validate.js';
import type { ColumnMap } from './column-map.js';

export type TsUnit = 'ms' | 's' | 'us';

const UNIT_FACTOR: Record<TsUnit, number> = { s: 1000, ms: 1, us: 0.001 };

/** The unit a numeric timestamp most plausibly has: seconds have ≤ 11 digits, ms 12–14, µs 15+. */
export function guessUnit(raw: string): TsUnit | null {
  const digits = /^\d+$/.test(raw.trim()) ? raw.trim().length : 0;
  if (!digits) return null;
  return digits <= 11 ? 's' : digits <= 14 ? 'ms' : 'us';
}

export type RowResult = { candle: Candle } | { error: string };

function timestamp(raw: string, unit: TsUnit): number | string {
  const text = raw.trim();
  if (/^\d+(\.\d+)?$/.test(text)) {
    const ms = Number(text) * UNIT_FACTOR[unit];
    return Number.isInteger(ms) ? ms : `time ${text} is not a whole millisecond in ${unit}`;
  }
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text))
    return Date.parse(text.replace(' ', 'T'));
  return `time '${text.slice(0, 30)}' is neither a number nor an ISO 8601 time with a zone`;
}

export function candleFromRow(cells: string[], map: ColumnMap, tf: Timeframe, unit: TsUnit, now: number): RowResult {
  const width = Math.max(map.ts, map.open, map.high, map.low, map.close, map.volume ?? 0) + 1;
  if (cells.length < width) return { error: `${cells.length} columns, expected at least ${width}` };
  const ts = timestamp(cells[map.ts]!, unit);
  if (typeof ts === 'string') return { error: ts };
  const num = (index: number): number => (cells[index]!.trim() === '' ? Number.NaN : Number(cells[index]));
  const open = num(map.open);
  const high = num(map.high);
  const low = num(map.low);
  const close = num(map.close);
  const volumeRaw = map.volume === null ? '' : cells[map.volume]!.trim();
  const volume = volumeRaw === '' ? null : Number(volumeRaw);
  // A cell that is not a number is named as the user wrote it, before the candle rules speak.
  for (const [name, v] of [
    ['open', open],
    ['high', high],
    ['low', low],
    ['close', close],
    ['volume', volume ?? 0],
  ] as const) {
    if (!Number.isFinite(v)) return { error: `${name} '${cells[map[name] ?? 0]?.trim() ?? ''}' is not a number` };
  }
  const candle: Candle = { ts, open, high, low, close, volume };
  const fault = candleFault(candle, {
    timeframe: tf,
    now,
    hasVolume: false,
    window: { from: Number.MIN_SAFE_INTEGER, to: Number.MAX_SAFE_INTEGER },
  });
  return fault ? { error: fault.detail } : { candle };
}
