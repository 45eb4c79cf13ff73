/** Where a source's idle workers wait until there is work again (woken by new jobs or timers). */
export class Lane {
  private waiters = new Set<() => void>();
  /** Round-robin position per priority: the series served last. */
  readonly lastSeries = new Map<number, number>();

  wait(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  get idleWorkers(): number {
    return this.waiters.size;
  }
}
