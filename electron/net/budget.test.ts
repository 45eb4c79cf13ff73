import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { PRIORITY, WeightBudget } from './budget.js';

const START = Date.parse('2024-01-01T00:00:10Z');

/** Acquire `n` requests of `weight`, recording the clock time each was granted. */
async function grantTimes(
  clock: ManualClock,
  budget: WeightBudget,
  n: number,
  weight: number,
  step = 1_000,
  horizon = 300_000,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) void budget.acquire(weight).then(() => times.push(clock.now()));
  await new Promise((r) => setImmediate(r)); // let grants made right away record their time
  for (let t = 0; t < horizon && times.length < n; t += step) await clock.advance(step);
  return times;
}

function maxInAnyWindow(times: number[], weight: number, windowMs: number): number {
  let max = 0;
  for (const start of times)
    max = Math.max(max, times.filter((t) => t >= start && t < start + windowMs).length * weight);
  return max;
}

describe('WeightBudget', () => {
  it('never spends more than the limit in any window, yet uses all of it', async () => {
    const clock = new ManualClock(START);
    const budget = new WeightBudget('t', clock, { limit: 100, windowMs: 60_000, reserve: 0 });
    const times = await grantTimes(clock, budget, 200, 2);
    expect(times).toHaveLength(200);
    expect(maxInAnyWindow(times, 2, 60_000)).toBeLessThanOrEqual(100);
    // 400 weight at 100 per minute: the first 100 at once, the rest as the window slides (~3 minutes).
    expect(times[times.length - 1]! - START).toBeLessThanOrEqual(3 * 60_000 + 2_000);
  });

  it('spends at most its share of the limit in any window, and the whole limit again once the share is back to one', async () => {
    const clock = new ManualClock(START);
    const budget = new WeightBudget('t', clock, { limit: 90, windowMs: 60_000, reserve: 0 });
    budget.setShare(1 / 3); // one of three collectors behind one IP
    const shared = await grantTimes(clock, budget, 60, 2);
    expect(shared).toHaveLength(60);
    expect(maxInAnyWindow(shared, 2, 60_000)).toBeLessThanOrEqual(30);
    expect(budget.snapshot().share).toBeCloseTo(1 / 3);

    budget.setShare(1); // the others left the group
    await clock.advance(60_001);
    const alone = await grantTimes(clock, budget, 45, 2);
    expect(alone.every((t) => t === alone[0])).toBe(true); // the whole 90 at once
  });

  it('stops every request until a Retry-After has passed', async () => {
    const clock = new ManualClock(START);
    const budget = new WeightBudget('t', clock, { limit: 1000, windowMs: 60_000 });
    budget.pauseUntil(START + 30_000);
    const times = await grantTimes(clock, budget, 3, 1);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(START + 30_000);
  });

  it('slows down when the server counts weight that another client on the same IP spent', async () => {
    const clock = new ManualClock(START);
    const budget = new WeightBudget('t', clock, { limit: 100, windowMs: 60_000, reserve: 0 });
    await budget.acquire(2);
    budget.observeServerUsed(62); // we spent 2; someone else spent 60 this minute
    const times = await grantTimes(clock, budget, 40, 2, 1_000, 60_000);
    const firstWindow = times.filter((t) => t < START + 50_000).length;
    expect(firstWindow * 2 + 2).toBeLessThanOrEqual(40);
  });

  it('serves the live tail before long backfills', async () => {
    const clock = new ManualClock(START);
    const budget = new WeightBudget('t', clock, { limit: 2, windowMs: 60_000, reserve: 0 });
    await budget.acquire(2);
    const order: string[] = [];
    void budget.acquire(2, PRIORITY.backfill).then(() => order.push('backfill'));
    void budget.acquire(2, PRIORITY.live).then(() => order.push('live'));
    await clock.advance(61_000);
    await clock.advance(61_000);
    expect(order).toEqual(['live', 'backfill']);
  });

  it('a waiter can be cancelled', async () => {
    const clock = new ManualClock(START);
    const budget = new WeightBudget('t', clock, { limit: 2, windowMs: 60_000, reserve: 0 });
    await budget.acquire(2);
    const controller = new AbortController();
    const waiting = budget.acquire(2, PRIORITY.backfill, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toThrow('aborted');
    expect(budget.snapshot().waiting).toBe(0);
  });
});
