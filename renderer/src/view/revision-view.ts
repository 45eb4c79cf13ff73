/**
 * Revisions as the engine records them ('revision' events, electron/engine/revisions.ts): one event
 * per revised candle with `{ ts, before, after }`, or a summary with `{ count, revisions: [...] }`.
 * Event data crosses the bridge untyped, so it is read defensively. Pure.
 */
import type { EngineEvent } from '../../../shared/domain';

export interface CandleValues {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number | null;
}

export interface Revision {
  eventId: number;
  /** When the engine saw the change. */
  at: number;
  /** The candle's open time. */
  ts: number;
  before: CandleValues;
  after: CandleValues;
}

export const CANDLE_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function candleValues(v: unknown): CandleValues | null {
  if (!isRecord(v) || !isNumber(v.open) || !isNumber(v.high) || !isNumber(v.low) || !isNumber(v.close)) return null;
  return { open: v.open, high: v.high, low: v.low, close: v.close, volume: isNumber(v.volume) ? v.volume : null };
}

function revisionOf(eventId: number, at: number, v: unknown): Revision | null {
  if (!isRecord(v) || !isNumber(v.ts)) return null;
  const before = candleValues(v.before);
  const after = candleValues(v.after);
  return before && after ? { eventId, at, ts: v.ts, before, after } : null;
}

/** Every revised candle the events name, newest candle first. */
export function revisionsOf(events: EngineEvent[]): Revision[] {
  const out: Revision[] = [];
  for (const e of events) {
    if (e.kind !== 'revision' || !e.data) continue;
    const listed = Array.isArray(e.data.revisions) ? e.data.revisions : [e.data];
    for (const r of listed) {
      const revision = revisionOf(e.id, e.at, r);
      if (revision) out.push(revision);
    }
  }
  return out.sort((a, b) => b.ts - a.ts || b.eventId - a.eventId);
}

/** The fields a revision changed. */
export function changedFields(r: Revision): Array<(typeof CANDLE_FIELDS)[number]> {
  return CANDLE_FIELDS.filter((f) => r.before[f] !== r.after[f]);
}
