/**
 * Where a long archive import waits while the user has paused what it works for (the engine, the
 * series, the manual backfill that started it). The import asks between files; whoever changes one
 * of those states says so (`changed`), and every waiting import looks again.
 */
export class ImportGate {
  private readonly waiters = new Set<() => void>();

  /** Imports waiting now. */
  get waiting(): number {
    return this.waiters.size;
  }

  /** Resolves once `open()` is true, or at once when `signal` aborts (the import then stops itself). */
  async until(open: () => boolean, signal: AbortSignal): Promise<void> {
    while (!signal.aborted && !open()) {
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.waiters.delete(wake);
          signal.removeEventListener('abort', wake);
          resolve();
        };
        this.waiters.add(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
  }

  /** A state an import may wait on changed: each waiting one looks again. */
  changed(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
