import { describe, expect, it } from 'vitest';
import { TAIL_LOOK_AGAIN_MS, TailLooks } from './tail-looks.js';

const EDGE = Date.parse('2024-06-01T12:00:00Z');
const AT = EDGE + 3_000;
const HOUR = 3_600_000;

describe('when a tail that came back short asks again', () => {
  const cases: Array<[string, number, number, boolean]> = [
    ['the same edge at once', EDGE, AT, true],
    ['the same edge just before a minute has passed', EDGE, AT + TAIL_LOOK_AGAIN_MS - 1, true],
    ['the same edge a minute later (an hourly candle published late)', EDGE, AT + TAIL_LOOK_AGAIN_MS, false],
    ['a later edge (the next close) at once', EDGE + 60_000, AT, false],
    ['an earlier edge (the clock was set back)', EDGE - HOUR, AT, true],
  ];
  it.each(cases)('%s', (_name, edge, now, asked) => {
    const looks = new TailLooks();
    looks.cameShort(7, EDGE, AT);
    expect(looks.asked(7, edge, now)).toBe(asked);
    expect(looks.asked(8, edge, now)).toBe(false);
  });

  it('wakes the engine when the minute is over, and not after', () => {
    const looks = new TailLooks();
    looks.cameShort(7, EDGE, AT);
    expect(looks.againAt(7, AT)).toBe(AT + TAIL_LOOK_AGAIN_MS);
    expect(looks.againAt(7, AT + TAIL_LOOK_AGAIN_MS)).toBeNull();
    expect(looks.againAt(7, AT)).toBeNull();
  });

  it('asks at once after the series is forgotten (paused, resumed, time missed)', () => {
    const looks = new TailLooks();
    looks.cameShort(7, EDGE, AT);
    looks.cameShort(8, EDGE, AT);
    looks.forget(7);
    expect([looks.asked(7, EDGE, AT), looks.asked(8, EDGE, AT)]).toEqual([false, true]);
    looks.forget();
    expect(looks.asked(8, EDGE, AT)).toBe(false);
  });
});
