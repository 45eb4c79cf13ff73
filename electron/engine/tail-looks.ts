/**
 * How often a tail that came back short may ask again. An answer that leaves the newest candles
 * missing (the source published nothing there: a maintenance window, a halted symbol, a source
 * publishing late) proves nothing at the live edge, so `commitWindow` records no hole there and the
 * tail still starts where it did. Planned again at once, as every finished job is, the same tail
 * asked the same question as fast as the answers came back: one series in maintenance spent a whole
 * source's budget that way. Now it asks again when the edge moves (the next close) or a minute
 * later, whichever comes first: one request a minute, as polling a 1m series costs, and an hourly or
 * daily candle published late is still fetched within a minute, not at the next close.
 * Kept in memory: after a restart the tail looks once more, which costs one request per series.
 */

/** How long a tail that came back short waits before asking the same question again. */
export const TAIL_LOOK_AGAIN_MS = 60_000;

export class TailLooks {
  /** Series id -> the live edge its last short tail asked up to, and when it finished. */
  private readonly looks = new Map<number, { edge: number; at: number }>();

  /** A tail of the series asked up to `edge` and finished at `now` with candles before it still missing. */
  cameShort(seriesId: number, edge: number, now: number): void {
    this.looks.set(seriesId, { edge, at: now });
  }

  /** Whether a tail up to `edge` would ask again what a short tail asked less than a minute ago. */
  asked(seriesId: number, edge: number, now: number): boolean {
    const look = this.looks.get(seriesId);
    return look !== undefined && edge <= look.edge && now < look.at + TAIL_LOOK_AGAIN_MS;
  }

  /** When the series' short tail may ask again (null: nothing is waiting), for the engine's timer. */
  againAt(seriesId: number, now: number): number | null {
    const look = this.looks.get(seriesId);
    if (!look) return null;
    if (now >= look.at + TAIL_LOOK_AGAIN_MS) {
      this.looks.delete(seriesId);
      return null;
    }
    return look.at + TAIL_LOOK_AGAIN_MS;
  }

  /** Look again at the next plan (the series was paused, removed, or time was missed). */
  forget(seriesId?: number): void {
    if (seriesId === undefined) this.looks.clear();
    else this.looks.delete(seriesId);
  }
}
