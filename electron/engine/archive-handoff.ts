/**
 * The engine's side of bulk history (bulk-history.ts): at most one archive fill per series at a time,
 * stopped when the engine stops or the series is removed, waiting between files while it may not go
 * on (paused). What the archives leave, or the whole history when they fail, is handed back for a
 * REST history job.
 */
import { setMaxListeners } from 'node:events';
import type { BulkHistory } from './bulk-history.js';
import { ImportGate } from './import-gate.js';
import type { Range } from './hole-ledger.js';
import type { Series } from '../../shared/domain.js';

export interface ArchiveFill {
  bulk: BulkHistory;
  series: Series;
  history: Range[];
  liveEdge: number;
  /** The engine's stop signal. */
  stop: AbortSignal;
  onStored: (seriesId: number, count: number, lastTs: number | null) => void;
  /** Whether the fill may go on now (false while the engine, the series or its manual job is paused). */
  mayGo: () => boolean;
  /** The ranges the archives did not cover (not called once stopped or removed). */
  onRemaining: (ranges: Range[]) => void;
  /** The archives failed as a whole (not called once stopped or removed). */
  onFailed: (error: Error) => void;
}

export class ArchiveHandOff {
  private readonly fills = new Map<number, AbortController>();
  private readonly gate = new ImportGate();

  /** Fills running now (not counting those waiting while paused). */
  get busy(): number {
    return this.fills.size - this.gate.waiting;
  }

  /** Something `mayGo` reads changed (a pause or a resume): waiting fills look again. */
  changed(): void {
    this.gate.changed();
  }

  isFilling(seriesId: number): boolean {
    return this.fills.has(seriesId);
  }

  /** The series is removed: its fill stops, and nothing more is written for it. */
  abort(seriesId: number): void {
    this.fills.get(seriesId)?.abort();
  }

  async fill(f: ArchiveFill): Promise<void> {
    const { series } = f;
    if (this.fills.has(series.id)) return;
    const removal = new AbortController();
    this.fills.set(series.id, removal);
    const stopped = (): boolean => f.stop.aborted || removal.signal.aborted;
    const signal = AbortSignal.any([f.stop, removal.signal]);
    // Every download and request of the fill may wait on the gate at once, each listening to it.
    setMaxListeners(0, signal);
    try {
      const result = await f.bulk.fill({
        key: series,
        ranges: f.history,
        liveEdge: f.liveEdge,
        series: () => series,
        signal,
        onStored: f.onStored,
        whilePaused: () => this.gate.until(f.mayGo, signal),
      });
      if (!stopped()) f.onRemaining(result.remaining);
    } catch (err) {
      if (!stopped()) f.onFailed(err as Error);
    } finally {
      this.fills.delete(series.id);
    }
  }
}
