import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { snapshotLoader } from './snapshot-loader';

describe('snapshot loader', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('collapses a burst into one fetch', async () => {
    const fetch = vi.fn(() => Promise.resolve());
    const loader = snapshotLoader(fetch, 300, 2_000);
    for (let i = 0; i < 10; i++) loader.soon();
    await vi.advanceTimersByTimeAsync(299);
    expect(fetch).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('still refreshes during a steady stream of events', async () => {
    const fetch = vi.fn(() => Promise.resolve());
    const loader = snapshotLoader(fetch, 300, 1_000);
    for (let t = 0; t < 2_500; t += 100) {
      loader.soon();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(fetch.mock.calls.length).toBeGreaterThanOrEqual(2);
  });

  it('never overlaps a slow fetch, and runs once more after it', async () => {
    let release: () => void = () => undefined;
    const fetch = vi.fn(() => new Promise<void>((r) => (release = r)));
    const loader = snapshotLoader(fetch, 10, 100);
    void loader.now();
    void loader.now();
    void loader.now();
    expect(fetch).toHaveBeenCalledTimes(1);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});
