/**
 * What a test changes about one venue's data for one asset, on top of the pure price path:
 * - revisions: a closed 1m candle published with other values from a given simulator time on (a
 *   venue correcting a candle after it closed); higher timeframes aggregate the revised minute;
 * - divergences: the venue's prices multiplied by a factor over a range of time (a feed gone wrong,
 *   for cross-source checks).
 * Values are in the venue's integer units (price ticks, 1e-8 volume units), like the truth's.
 */
import type { MinuteCandle } from './price-path.js';

/** New values of one 1m candle, published from simulator time `at` on. */
export interface MinuteRevision extends Partial<Pick<MinuteCandle, 'open' | 'high' | 'low' | 'close' | 'volume'>> {
  at: number;
}

export interface Divergence {
  /** 1m open times [from, to) the factor applies to. */
  from: number;
  to: number;
  factor: number;
}

const MINUTE_MS = 60_000;

export class VenueEdits {
  private readonly revisions = new Map<number, MinuteRevision>();
  private divergences: Divergence[] = [];
  /** Bounds of every edit, so the common case (no edit near) is two comparisons. */
  private lo = Infinity;
  private hi = -Infinity;

  /** True once any edit exists (the hot paths check this first). */
  get active(): boolean {
    return this.lo !== Infinity;
  }

  revise(minute: number, revision: MinuteRevision): void {
    this.revisions.set(minute, revision);
    this.widen(minute, minute + MINUTE_MS);
  }

  diverge(divergence: Divergence): void {
    this.divergences.push(divergence);
    this.widen(divergence.from, divergence.to);
  }

  clear(): void {
    this.revisions.clear();
    this.divergences = [];
    this.lo = Infinity;
    this.hi = -Infinity;
  }

  /** Whether any edit touches 1m open times in [from, to) (a cache of served rows must not be used there). */
  touches(from: number, to: number): boolean {
    return from < this.hi && this.lo < to;
  }

  /** The minute opening at `t` as published at `now`. */
  apply(t: number, m: MinuteCandle, now: number): MinuteCandle {
    if (t < this.lo || t >= this.hi) return m;
    let out = m;
    for (const d of this.divergences) {
      if (t < d.from || t >= d.to) continue;
      const scale = (v: number): number => Math.max(1, Math.round(v * d.factor));
      out = { ...out, open: scale(out.open), high: scale(out.high), low: scale(out.low), close: scale(out.close) };
    }
    const revision = this.revisions.get(t);
    if (revision && now >= revision.at) {
      const { at: _at, ...values } = revision;
      out = { ...out, ...values };
    }
    return out;
  }

  private widen(from: number, to: number): void {
    this.lo = Math.min(this.lo, from);
    this.hi = Math.max(this.hi, to);
  }
}
