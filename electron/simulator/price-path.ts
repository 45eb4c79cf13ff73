/**
 * A deterministic price path per (seed, asset): log-price is a sum of smooth value-noise octaves, so the
 * price at any instant is a pure function of time (no walk to replay from the listing date).
 * 1m candles are built from it in integer units (price ticks, 1e-8 volume units) so that higher
 * timeframes aggregate them exactly. A venue other than the reference one (Binance) quotes the asset
 * with a small venue-specific wobble on top (a few basis points, as real venues' closes differ).
 */
import { hashInts, hashString, unit } from './hash.js';
import type { Asset } from './instruments.js';
import { MINUTE_MS, HOUR_MS, DAY_MS } from '../../shared/timeframe.js';

/** Volume is kept in integer units of 1e-8 base asset, like Binance's 8-decimal strings. */
export const VOLUME_DECIMALS = 8;

/** Octave periods (ms) and their relative amplitude; amplitude ~ sqrt(period) like a random walk. */
const OCTAVES: Array<[period: number, amplitude: number]> = [
  [90 * DAY_MS, 0],
  [30 * DAY_MS, 0],
  [7 * DAY_MS, 0],
  [2 * DAY_MS, 0],
  [12 * HOUR_MS, 0],
  [3 * HOUR_MS, 0],
  [HOUR_MS, 0],
  [15 * MINUTE_MS, 0],
  [5 * MINUTE_MS, 0],
  [2 * MINUTE_MS, 0],
];
const DAILY_LOG_VOL = 0.025;
for (const octave of OCTAVES) octave[1] = DAILY_LOG_VOL * Math.sqrt(octave[0] / DAY_MS);
/** A venue's own wobble around the asset's price: two smooth octaves of at most 0.06% each. */
const VENUE_OCTAVES: Array<[period: number, amplitude: number]> = [
  [20 * MINUTE_MS, 0.0006],
  [3 * HOUR_MS, 0.0006],
];

/** One octave of the log-price noise, hashed under its own key. */
interface Octave {
  period: number;
  amplitude: number;
  key: number;
  k: number;
}

export interface MinuteCandle {
  open: number;
  high: number;
  low: number;
  close: number;
  /** Integer units of 1e-8. */
  volume: number;
  trades: number;
}

export class PricePath {
  private readonly key: number;
  private readonly logBase: number;
  private readonly octaves: Octave[];
  readonly tick: number;

  /** `venue`: the venue quoting the asset, when not the reference venue (adds its own wobble). */
  constructor(
    private readonly seed: number,
    readonly asset: Asset,
    venue?: string,
  ) {
    this.key = hashString(asset.key);
    this.logBase = Math.log(asset.basePrice);
    this.tick = 10 ** asset.priceDecimals;
    this.octaves = OCTAVES.map(([period, amplitude], k) => ({ period, amplitude, key: this.key, k }));
    if (venue) {
      const venueKey = hashString(`venue:${venue}:${asset.key}`);
      this.octaves.push(...VENUE_OCTAVES.map(([period, amplitude], k) => ({ period, amplitude, key: venueKey, k })));
    }
  }

  /** Price (not rounded) at any instant; continuous in t. */
  priceAt(t: number): number {
    let log = this.logBase;
    for (const { period, amplitude, key, k } of this.octaves) {
      const x = t / period;
      const i = Math.floor(x);
      const f = x - i;
      const v0 = unit(hashInts(this.seed, key, k, i)) * 2 - 1;
      const v1 = unit(hashInts(this.seed, key, k, i + 1)) * 2 - 1;
      const s = f * f * (3 - 2 * f);
      log += amplitude * (v0 + (v1 - v0) * s);
    }
    return Math.exp(log);
  }

  /** Price in integer ticks at instant t. */
  ticksAt(t: number): number {
    return Math.max(1, Math.round(this.priceAt(t) * this.tick));
  }

  /**
   * Ticks at `count` evenly spaced instants from `start` — the same values as ticksAt, computed
   * octave by octave so each lattice point is hashed once (a day of minutes in well under a ms).
   */
  ticksSeries(start: number, step: number, count: number): Float64Array {
    const logs = new Float64Array(count).fill(this.logBase);
    for (const { period, amplitude, key, k } of this.octaves) {
      let lattice = Number.NaN;
      let v0 = 0;
      let v1 = 0;
      for (let j = 0; j < count; j++) {
        const x = (start + j * step) / period;
        const i = Math.floor(x);
        if (i !== lattice) {
          lattice = i;
          v0 = unit(hashInts(this.seed, key, k, i)) * 2 - 1;
          v1 = unit(hashInts(this.seed, key, k, i + 1)) * 2 - 1;
        }
        const f = x - i;
        logs[j] = logs[j]! + amplitude * (v0 + (v1 - v0) * f * f * (3 - 2 * f));
      }
    }
    for (let j = 0; j < count; j++) logs[j] = Math.max(1, Math.round(Math.exp(logs[j]!) * this.tick));
    return logs;
  }

  /**
   * The 1m candle opening at `openTs`; with `fraction` < 1, the still-forming candle as seen that far
   * into the minute.
   */
  minute(openTs: number, fraction = 1): MinuteCandle {
    return this.minuteFrom(
      openTs,
      this.ticksAt(openTs),
      this.ticksAt(openTs + Math.round(MINUTE_MS * fraction)),
      fraction,
    );
  }

  /** The 1m candle at `openTs` given its open and (current) close in ticks. */
  minuteFrom(openTs: number, open: number, close: number, fraction = 1): MinuteCandle {
    const m = Math.floor(openTs / MINUTE_MS);
    const hUp = unit(hashInts(this.seed, this.key, 101, m));
    const hDown = unit(hashInts(this.seed, this.key, 102, m));
    const hVol = unit(hashInts(this.seed, this.key, 103, m));
    const wickScale = 0.0012 * open * fraction;
    const high = Math.max(open, close) + Math.round(hUp * hUp * wickScale);
    const low = Math.max(1, Math.min(open, close) - Math.round(hDown * hDown * wickScale));
    const move = Math.abs(close - open) / open;
    const volume = Math.floor(this.asset.baseVolume * (0.2 + 1.6 * hVol) * (1 + move * 300) * fraction * 1e8);
    const trades = Math.max(fraction > 0 ? 1 : 0, Math.floor((20 + hVol * 400) * fraction));
    return { open, high, low, close, volume, trades };
  }
}
