/**
 * The request windows in flight per series. Another job's window that overlaps one of them waits
 * until it lands, then finds its candles stored and is skipped, instead of asking for them twice
 * (a new series' tail, its history and the user's backfill are planned at once and overlap).
 */
import type { Range } from './hole-ledger.js';

export class WindowsOnWire {
  private readonly bySeries = new Map<number, Range[]>();

  add(seriesId: number, window: Range): void {
    this.bySeries.set(seriesId, [...(this.bySeries.get(seriesId) ?? []), window]);
  }

  remove(seriesId: number, window: Range): void {
    const left = (this.bySeries.get(seriesId) ?? []).filter((w) => w !== window);
    if (left.length) this.bySeries.set(seriesId, left);
    else this.bySeries.delete(seriesId);
  }

  has(seriesId: number): boolean {
    return this.bySeries.has(seriesId);
  }

  overlaps(seriesId: number, range: Range): boolean {
    return (this.bySeries.get(seriesId) ?? []).some((w) => w.from < range.to && range.from < w.to);
  }
}
