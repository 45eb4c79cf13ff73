/**
 * The pushes a dashboard gets while a job runs: a progress bar's worth (the newest progress per
 * interval), every change of state at once and in order, and stored counts that add up to what was
 * stored. Fake timers: the interval is what is under test.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventBus, type AnyEvent } from '../../shared/event-bus.js';
import { subscribePaced } from './push-pacer.js';
import type { Job, JobState } from '../../shared/domain.js';

function job(id: string, state: JobState, windowsDone: number): Job {
  return {
    id,
    seriesId: 1,
    kind: 'manual',
    state,
    from: 0,
    to: 1,
    windowsDone,
    windowsTotal: 100,
    candlesStored: windowsDone * 1000,
    startedAt: 0,
    finishedAt: null,
    rate: 0,
    etaSec: null,
    error: null,
  };
}

let bus: EventBus;
let received: AnyEvent[];
let off: () => void;

beforeEach(() => {
  vi.useFakeTimers();
  bus = new EventBus();
  received = [];
  off = subscribePaced(bus, (e) => received.push(e), { intervalMs: 250 });
});

afterEach(() => {
  off();
  vi.useRealTimers();
});

const progressOf = (id: string): number[] =>
  received.flatMap((e) => (e.event === 'job:progress' && e.payload.job.id === id ? [e.payload.job.windowsDone] : []));

describe('pushes to a front', () => {
  it('forward a burst of progress as the first, then the newest once per interval', () => {
    for (let i = 1; i <= 50; i++) bus.emit('job:progress', { job: job('a', 'running', i) });
    expect(progressOf('a')).toEqual([1]);
    vi.advanceTimersByTime(250);
    expect(progressOf('a')).toEqual([1, 50]);
    // Quiet since: the next progress goes at once.
    vi.advanceTimersByTime(300);
    bus.emit('job:progress', { job: job('a', 'running', 51) });
    expect(progressOf('a')).toEqual([1, 50, 51]);
  });

  it('send a change of state at once, dropping the progress it supersedes', () => {
    bus.emit('job:progress', { job: job('a', 'running', 1) });
    bus.emit('job:progress', { job: job('a', 'running', 2) });
    bus.emit('job:progress', { job: job('a', 'paused', 2) });
    bus.emit('job:progress', { job: job('a', 'running', 2) });
    bus.emit('job:progress', { job: job('a', 'done', 100) });
    const states = received.map((e) =>
      e.event === 'job:progress' ? `${e.payload.job.state}:${e.payload.job.windowsDone}` : '',
    );
    expect(states).toEqual(['running:1', 'paused:2', 'running:2', 'done:100']);
    vi.advanceTimersByTime(1000);
    expect(received).toHaveLength(4);
  });

  it('pace each job on its own', () => {
    bus.emit('job:progress', { job: job('a', 'running', 1) });
    bus.emit('job:progress', { job: job('b', 'running', 1) });
    bus.emit('job:progress', { job: job('a', 'running', 2) });
    expect(progressOf('a')).toEqual([1]);
    expect(progressOf('b')).toEqual([1]);
    vi.advanceTimersByTime(250);
    expect(progressOf('a')).toEqual([1, 2]);
    expect(progressOf('b')).toEqual([1]);
  });

  it('sum stored candles held back, keeping the latest open time', () => {
    bus.emit('candles:stored', { seriesId: 7, count: 1000, lastTs: 60_000 });
    bus.emit('candles:stored', { seriesId: 7, count: 1000, lastTs: 120_000 });
    bus.emit('candles:stored', { seriesId: 7, count: 3, lastTs: null });
    bus.emit('candles:stored', { seriesId: 8, count: 5, lastTs: 1 });
    vi.advanceTimersByTime(250);
    const stored = received.flatMap((e) => (e.event === 'candles:stored' ? [e.payload] : []));
    expect(stored).toEqual([
      { seriesId: 7, count: 1000, lastTs: 60_000 },
      { seriesId: 8, count: 5, lastTs: 1 },
      { seriesId: 7, count: 1003, lastTs: 120_000 },
    ]);
  });

  it('leave a front with each job as it last was, never an older version after a newer one', () => {
    const states: JobState[] = ['queued', 'running', 'running', 'running', 'paused'];
    let seed = 7;
    const random = (n: number): number => (seed = (seed * 16807) % 2147483647) % n;
    const last = new Map<string, Job>();
    for (let step = 1; step <= 2000; step++) {
      const id = `j${random(3)}`;
      const next = job(id, states[random(states.length)]!, step);
      last.set(id, next);
      bus.emit('job:progress', { job: next });
      vi.advanceTimersByTime(random(120));
    }
    vi.advanceTimersByTime(250);
    for (const [id, final] of last) {
      const seen = progressOf(id);
      expect(seen.at(-1)).toBe(final.windowsDone);
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
    }
  });

  it('never hold other events, nor send anything after unsubscribing', () => {
    bus.emit('job:progress', { job: job('a', 'running', 1) });
    bus.emit('job:progress', { job: job('a', 'running', 2) });
    bus.emit('engine:state', { state: 'paused' });
    expect(received.map((e) => e.event)).toEqual(['job:progress', 'engine:state']);
    off();
    vi.advanceTimersByTime(1000);
    bus.emit('engine:state', { state: 'running' });
    expect(received).toHaveLength(2);
  });
});
