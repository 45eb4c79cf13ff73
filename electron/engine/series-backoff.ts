/**
 * Per series, when it may be tried again after failing windows: exponential backoff on repeated
 * failures, the longest wait at once when the source refused the request (a 4xx will not heal by
 * retrying soon). A success clears it; waking from sleep clears all.
 */
export interface BackoffConfig {
  baseMs: number;
  maxMs: number;
}

export class SeriesBackoff {
  private readonly bySeries = new Map<number, { at: number; failures: number }>();

  /** `config` is read on every use (settings may change it). */
  constructor(private readonly config: () => BackoffConfig) {}

  /** The wait before attempt number `attempt` (1-based) of anything that keeps failing. */
  delay(attempt: number): number {
    const { baseMs, maxMs } = this.config();
    return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  }

  /** A window of the series failed at `now`; returns how many failed in a row. */
  failed(seriesId: number, now: number, refused: boolean): number {
    const failures = (this.bySeries.get(seriesId)?.failures ?? 0) + 1;
    this.bySeries.set(seriesId, { at: now + (refused ? this.config().maxMs : this.delay(failures)), failures });
    return failures;
  }

  /** When the series may be tried again, or null when it is not backing off. */
  retryAt(seriesId: number): number | null {
    return this.bySeries.get(seriesId)?.at ?? null;
  }

  forget(seriesId: number): void {
    this.bySeries.delete(seriesId);
  }

  clear(): void {
    this.bySeries.clear();
  }
}
