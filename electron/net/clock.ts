/**
 * An injectable clock, shared by the engine and the simulator, so that hours of live operation
 * can run in seconds in tests (docs/ARCHITECTURE.md "Conventions").
 */
export interface Clock {
  now(): number;
  /** Resolve after `ms` of this clock's time (or earlier if the signal aborts). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function abortable(wait: (resolve: () => void) => () => void, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      cancel();
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const cancel = wait(done);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    abortable((done) => {
      const timer = setTimeout(done, Math.max(0, ms));
      return () => clearTimeout(timer);
    }, signal),
};

/**
 * A clock that runs `scale` times faster than the wall clock from a chosen start, e.g. a simulated day
 * in 15 minutes of real time at scale 96. Scale 1 with no start is the system clock.
 */
export class ScaledClock implements Clock {
  private readonly wallStart = Date.now();
  constructor(
    private readonly start: number,
    private readonly scale: number,
  ) {
    if (!(scale > 0)) throw new Error(`time scale must be positive, got ${scale}`);
  }
  now(): number {
    return Math.floor(this.start + (Date.now() - this.wallStart) * this.scale);
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return systemClock.sleep(ms / this.scale, signal);
  }
}

/**
 * A clock that only moves when told to (tests). Sleepers wake when `advance` passes their deadline,
 * in deadline order, each given a chance to run before the next one wakes.
 */
export class ManualClock implements Clock {
  private sleepers: Array<{ until: number; wake: () => void }> = [];
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    const until = this.current + Math.max(0, ms);
    return abortable((done) => {
      const entry = { until, wake: done };
      this.sleepers.push(entry);
      return () => {
        this.sleepers = this.sleepers.filter((s) => s !== entry);
      };
    }, signal);
  }
  /** Move time forward, waking sleepers due on the way (with a macrotask between each). */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      const due = this.sleepers.filter((s) => s.until <= target).sort((a, b) => a.until - b.until)[0];
      if (!due) break;
      this.current = Math.max(this.current, due.until);
      due.wake();
      await new Promise((r) => setImmediate(r));
    }
    this.current = target;
  }
  set(ts: number): void {
    this.current = ts;
  }
}
