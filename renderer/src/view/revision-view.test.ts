import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../shared/domain';
import { changedFields, revisionsOf } from './revision-view';

const candle = (ts: number, close: number, volume: number | null = 2) => ({
  ts,
  open: 10,
  high: 12,
  low: 9,
  close,
  volume,
});
const event = (
  id: number,
  data: Record<string, unknown> | null,
  kind: EngineEvent['kind'] = 'revision',
): EngineEvent => ({
  id,
  at: 1_000 + id,
  kind,
  severity: 'warning',
  seriesId: 1,
  source: 'binance',
  message: 'revised',
  data,
});

describe('revisions from events', () => {
  it('reads one-candle events and summary events, newest candle first', () => {
    const revisions = revisionsOf([
      event(1, { ts: 60_000, before: candle(60_000, 11), after: candle(60_000, 11.5) }),
      event(2, {
        count: 2,
        revisions: [
          { ts: 120_000, before: candle(120_000, 11), after: candle(120_000, 10) },
          { ts: 180_000, before: candle(180_000, 11, 2), after: candle(180_000, 11, 3) },
        ],
      }),
    ]);
    expect(revisions.map((r) => [r.eventId, r.ts, r.at])).toEqual([
      [2, 180_000, 1_002],
      [2, 120_000, 1_002],
      [1, 60_000, 1_001],
    ]);
    expect(revisions[2]!.before.close).toBe(11);
    expect(revisions[2]!.after.close).toBe(11.5);
  });

  it('skips what it cannot read: other kinds, no data, missing versions, non-numbers', () => {
    expect(
      revisionsOf([
        event(1, { ts: 60_000, before: candle(60_000, 11), after: candle(60_000, 12) }, 'repair'),
        event(2, null),
        event(3, { ts: 60_000, before: candle(60_000, 11) }),
        event(4, { ts: '60000', before: candle(60_000, 11), after: candle(60_000, 12) }),
        event(5, { ts: 60_000, before: { ...candle(60_000, 11), close: 'x' }, after: candle(60_000, 12) }),
      ]),
    ).toEqual([]);
  });

  it('names the fields that changed; a missing volume is null', () => {
    const [r] = revisionsOf([event(1, { ts: 0, before: candle(0, 11, null), after: candle(0, 12, 4) })]);
    expect(r!.before.volume).toBeNull();
    expect(changedFields(r!)).toEqual(['close', 'volume']);
  });
});
