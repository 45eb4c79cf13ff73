/** Where a source's idle workers wait until there is work again (woken by new jobs or timers). */
export class Lane {
  /** Each idle worker, with the job kinds it takes. */
  private waiters = new Map<() => void, readonly string[]>();
  /** Round-robin position per priority: the series served last. */
  readonly lastSeries = new Map<number, number>();

  wait(signal: AbortSignal, kinds: readonly string[]): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.set(done, kinds);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  wake(): void {
    for (const waiter of [...this.waiters.keys()]) waiter();
  }

  /** Whether an idle worker would take a job of this kind. */
  canTake(kind: string): boolean {
    return [...this.waiters.values()].some((kinds) => kinds.includes(kind));
  }
}
