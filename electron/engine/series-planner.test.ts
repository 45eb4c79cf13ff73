/** What the tail asks for, from the database alone. */
import { afterEach, describe, expect, it } from 'vitest';
import { planTail, DEFAULT_TAIL_TIMING } from './series-planner.js';
import { openTempStore } from '../test-support/temp-store.js';
import { YahooSource } from '../sources/yahoo.js';
import { ManualClock } from '../net/clock.js';
import { Network } from '../net/network.js';
import { unlookedHole } from './hole-ledger.js';

const SATURDAY_NOON = Date.parse('2024-07-13T12:00:00Z');
const SUNDAY_NOON = Date.parse('2024-07-14T12:00:00Z');

describe('the tail', () => {
  let close: () => void = () => undefined;
  afterEach(() => close());

  it('with nothing stored yet, does not ask again for a window that showed a closed market', () => {
    const opened = openTempStore();
    close = opened.close;
    const { store } = opened;
    const clock = new ManualClock(SUNDAY_NOON);
    const source = new YahooSource({ hosts: ['http://127.0.0.1:9/yahoo'], clock, network: new Network(clock) });
    const series = store.series.ensure(
      { source: 'yahoo', symbol: 'AAPL', timeframe: '5m' },
      SATURDAY_NOON,
      SATURDAY_NOON,
    );
    const first = planTail(store, source, series, SUNDAY_NOON, DEFAULT_TAIL_TIMING)!;
    expect(first.from).toBeGreaterThanOrEqual(SATURDAY_NOON);
    // The answer: the market was closed over the whole window (a weekend).
    store.holes.replace(
      series.id,
      [],
      [
        {
          ...unlookedHole(first, 'market_closed', null),
          state: 'market_closed',
          looks: 1,
          lookedAt: SUNDAY_NOON,
          settledAt: SUNDAY_NOON,
        },
      ],
      SUNDAY_NOON,
    );
    expect(planTail(store, source, series, SUNDAY_NOON, DEFAULT_TAIL_TIMING)).toBeNull();
  });
});
