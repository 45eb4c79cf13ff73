/**
 * Which series this engine may work on. Alone (SQLite, or a daemon without `--collector`) it owns
 * every series; in a fleet, the lease keeper (fleet/lease-keeper.ts) says which series this
 * collector holds a lease on, and tells the engine when that changes so it plans won series at
 * once and stops lost ones before another collector may take them.
 */
export interface OwnershipChange {
  won: number[];
  lost: number[];
}

export interface SeriesOwnership {
  /** Whether to start work on the series (false too while its lease is being handed back). */
  owns(seriesId: number): boolean;
  /**
   * Present while this collector holds the series' lease, handed back or not; aborted the moment
   * the lease ends. A window in flight may commit only while it is present and not aborted.
   */
  signalFor(seriesId: number): AbortSignal | undefined;
  /** Called after each change; returns the function that stops listening. */
  onChange(listener: (change: OwnershipChange) => void): () => void;
}
