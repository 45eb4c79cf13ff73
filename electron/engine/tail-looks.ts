/**
 * One REST look per live edge for each series' tail. An answer that leaves the newest candles
 * missing (the source published nothing there: a maintenance window, a halted symbol) proves nothing
 * at the live edge, so `commitWindow` records no hole there and the tail still starts where it did.
 * Planned again at once, as every finished job is, the same tail would ask the same question as fast
 * as the answers came back: one series in maintenance spent a whole source's budget that way. After a
 * tail has looked up to an edge, it asks again when the edge moves (the next close), as polling does.
 * Kept in memory: after a restart the tail looks once more, which costs one request per series.
 */
export class TailLooks {
  /** Series id -> the live edge its last finished tail asked up to. */
  private readonly lookedTo = new Map<number, number>();

  /** A tail job of the series finished, having asked the source up to `edge`. */
  looked(seriesId: number, edge: number): void {
    this.lookedTo.set(seriesId, Math.max(edge, this.lookedTo.get(seriesId) ?? edge));
  }

  /** Whether a tail ending at `edge` would ask nothing the last finished tail did not ask. */
  asked(seriesId: number, edge: number): boolean {
    const looked = this.lookedTo.get(seriesId);
    return looked !== undefined && edge <= looked;
  }

  /** Look again at the next plan (the series was paused, removed, or time was missed). */
  forget(seriesId?: number): void {
    if (seriesId === undefined) this.lookedTo.clear();
    else this.lookedTo.delete(seriesId);
  }
}
