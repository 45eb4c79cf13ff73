/**
 * Re-fetching a snapshot after pushed events, without flooding the engine: calls within `debounceMs`
 * collapse into one, a steady stream still refreshes every `maxWaitMs`, and a fetch never overlaps
 * the previous one (a slow snapshot on a big database must not pile up behind itself).
 */
export interface SnapshotLoader {
  /** Fetch now (or right after the fetch in flight). */
  now(): Promise<void>;
  /** Fetch soon, coalescing bursts. */
  soon(): void;
  cancel(): void;
}

export function snapshotLoader(fetch: () => Promise<void>, debounceMs = 300, maxWaitMs = 2_000): SnapshotLoader {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let firstAskAt: number | null = null;
  let inFlight: Promise<void> | null = null;
  let again = false;

  const run = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    firstAskAt = null;
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = fetch().finally(() => {
      inFlight = null;
      if (again) {
        again = false;
        void run();
      }
    });
    return inFlight;
  };

  return {
    now: run,
    soon() {
      const now = Date.now();
      firstAskAt ??= now;
      clearTimeout(timer);
      const wait = Math.max(0, Math.min(debounceMs, firstAskAt + maxWaitMs - now));
      timer = setTimeout(() => void run(), wait);
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
      firstAskAt = null;
    },
  };
}
