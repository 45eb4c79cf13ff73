/**
 * How late this thread's event loop runs: a timer re-armed every 10 ms records how much later than
 * asked it fired, into cumulative buckets (a Prometheus histogram on /metrics). Whatever holds the
 * loop — a slow read, a big JSON answer — delays every timer the engine has armed by as much, its
 * live tails included. Scrapers take the difference of two scrapes for the delays of that span.
 */
const EVERY_MS = 10;
/** Upper bounds in ms; the goal for the engine's loop is a p99 under 50 ms. */
export const DELAY_BOUNDS_MS = [
  1, 2, 5, 10, 15, 20, 30, 40, 50, 75, 100, 150, 200, 300, 400, 500, 750, 1_000, 2_000, 5_000,
];

export class LoopDelayMonitor {
  /** Samples at or below each bound; the last slot counts those above every bound. */
  readonly counts = new Array<number>(DELAY_BOUNDS_MS.length + 1).fill(0);
  sumMs = 0;
  private timer: NodeJS.Timeout | null = null;
  private due = 0;

  start(): this {
    this.arm();
    return this;
  }

  private arm(): void {
    this.due = performance.now() + EVERY_MS;
    this.timer = setTimeout(() => {
      this.record(Math.max(0, performance.now() - this.due));
      this.arm();
    }, EVERY_MS);
    this.timer.unref();
  }

  record(delayMs: number): void {
    const i = DELAY_BOUNDS_MS.findIndex((b) => delayMs <= b);
    this.counts[i < 0 ? DELAY_BOUNDS_MS.length : i]!++;
    this.sumMs += delayMs;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
