/**
 * Bad candles in a good answer (the quarantine's test cases): a klines page whose JSON is fine but whose rows break a
 * validation rule, repeat, conflict or arrive out of order, the way a venue's bug would send them.
 * Rules come from the fault injector (faults.ts); each names the row it spoils by open time, so a
 * test knows exactly which candle must end up in quarantine.
 */
import type { SimResponse } from './http-util.js';
import type { FaultInjector, FaultRule } from './faults.js';
import { floorToTimeframe, isTimeframe, nextOpen, type Timeframe } from '../../shared/timeframe.js';

/** The validation rule a corrupted row breaks (see electron/engine/validate.ts). */
export type InvalidCandleKind =
  | 'not_finite'
  | 'high_below_max'
  | 'low_above_min'
  | 'low_not_positive'
  | 'negative_volume'
  | 'off_grid'
  | 'future'
  | 'forming'
  | 'conflicting_duplicate';

type Row = Array<string | number>;

const decimals = (s: string): number => (s.includes('.') ? s.length - s.indexOf('.') - 1 : 0);
/** A price in the row's own format (same number of decimals). */
const like = (model: string, value: number): string => value.toFixed(decimals(model));

/** Spoil `rows` by one rule; returns false when the rule's row is not in this answer. */
function spoil(rows: Row[], rule: FaultRule, tf: Timeframe, now: number): boolean {
  if (rule.kind === 'short_page') {
    const cap = Math.max(0, rule.rows ?? 100);
    if (rows.length <= cap) return false;
    rows.length = cap;
    return true;
  }
  const at = rule.openTime === undefined ? Math.floor(rows.length / 2) : rows.findIndex((r) => r[0] === rule.openTime);
  const target = rows[at];
  if (rule.kind === 'out_of_order') {
    if (rows.length < 2) return false;
    rows.reverse();
    return true;
  }
  if (rule.kind === 'duplicate_rows') {
    if (!target) return false;
    rows.splice(at + 1, 0, [...target]);
    return true;
  }
  const invalid = rule.invalid ?? 'not_finite';
  // Extra rows a venue should not send: the candle forming now, or one from the future.
  if (invalid === 'forming' || invalid === 'future') {
    const model = target ?? rows[rows.length - 1];
    if (!model) return false;
    const forming = floorToTimeframe(tf, now);
    const open = invalid === 'forming' ? forming : nextOpen(tf, nextOpen(tf, forming));
    rows.push([open, ...model.slice(1, 6), nextOpen(tf, open) - 1, ...model.slice(7)]);
    return true;
  }
  if (!target) return false;
  const [o, h, l, c] = [1, 2, 3, 4].map((i) => Number(target[i]));
  switch (invalid) {
    case 'not_finite':
      target[4] = 'NaN';
      break;
    case 'high_below_max':
      target[2] = like(String(target[2]), Math.max(o!, c!) * 0.999);
      break;
    case 'low_above_min':
      target[3] = like(String(target[3]), Math.min(o!, c!) * 1.001);
      break;
    case 'low_not_positive':
      target[3] = like(String(target[3]), 0);
      break;
    case 'negative_volume':
      target[5] = like(String(target[5]), -1 - Number(target[5]));
      break;
    case 'off_grid': {
      const shift = Math.floor((nextOpen(tf, Number(target[0])) - Number(target[0])) / 2);
      target[0] = Number(target[0]) + shift;
      target[6] = Number(target[6]) + shift;
      break;
    }
    case 'conflicting_duplicate': {
      // A second, different (but in itself valid) version of the candle right after it.
      const close = c! * 1.0005;
      const other: Row = [...target];
      other[4] = like(String(target[4]), close);
      other[2] = like(String(target[2]), Math.max(h!, close));
      other[3] = like(String(target[3]), Math.min(l!, close));
      rows.splice(at + 1, 0, other);
      break;
    }
  }
  return true;
}

/**
 * Apply the injector's candle faults to a klines answer; returns the answer to send and the kinds
 * applied (for the request log). Only 200 answers of klines routes are touched.
 */
export function withCandleFaults(
  faults: FaultInjector,
  path: string,
  host: string,
  query: URLSearchParams,
  response: SimResponse,
  now: number,
): { response: SimResponse; applied: string[] } {
  const interval = query.get('interval') ?? '';
  if (response.status !== 200 || !/\/(klines|uiKlines)$/.test(path) || !isTimeframe(interval))
    return { response, applied: [] };
  const rules = faults.candleFaults(path, host);
  if (!rules.length) return { response, applied: [] };
  const text = response.json !== undefined ? response.json.toString() : JSON.stringify(response.body);
  const rows = JSON.parse(text) as Row[];
  const applied = rules.filter((rule) => spoil(rows, rule, interval, now));
  faults.consume(applied);
  if (!applied.length) return { response, applied: [] };
  return {
    response: { ...response, body: null, json: JSON.stringify(rows) },
    applied: applied.map((r) => (r.kind === 'invalid_candle' ? `invalid_candle:${r.invalid ?? 'not_finite'}` : r.kind)),
  };
}
