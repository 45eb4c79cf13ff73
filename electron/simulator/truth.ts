/**
 * The simulator's ground truth: which candles a venue has for an asset, built from the 1m price path
 * with the venue's listing date and maintenance windows (true holes). Higher timeframes aggregate the
 * 1m candles exactly. Pure function of (seed, asset, timeframe, open time) plus `now` for the forming
 * candle; tests call it to know what the database must end up holding.
 */
import { PricePath, type MinuteCandle } from './price-path.js';
import { hashInts, hashString, unit } from './hash.js';
import type { Asset } from './instruments.js';
import { VenueEdits } from './venue-edits.js';
import {
  DAY_MS,
  MINUTE_MS,
  type Timeframe,
  ceilToTimeframe,
  floorToTimeframe,
  nextOpen,
} from '../../shared/timeframe.js';

export interface TruthCandle extends MinuteCandle {
  openTime: number;
  /** False for the still-forming candle at `now`. */
  closed: boolean;
}

/** A range [from, to) of 1m open times where the venue published nothing. */
export interface Window {
  from: number;
  to: number;
}

const MINUTES_PER_DAY = 1440;
const MAINTENANCE_DAY_CHANCE = 0.1;

/** One UTC day of 1m candles in flat arrays (absent minutes have volume -1). */
interface DayMinutes {
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  trades: Float64Array;
}

/** Bounds on what an instrument keeps for reuse (a soak keeps them small: its memory is measured). */
export interface CacheLimits {
  days: number;
  rows: number;
  pageBytes: number;
}

export class VenueTruth {
  private readonly path: PricePath;
  /** Revisions and divergences a test injects (venue-edits.ts). */
  readonly edits = new VenueEdits();
  private readonly venueKey: number;
  private readonly dayCache = new Map<number, DayMinutes>();
  /**
   * How much generated data is kept for reuse: days of minutes, and wire rows per timeframe (see
   * binance-routes.ts). Generous by default (a year's backfill reuses its rows); a long soak bounds
   * them, so that what grows with simulated time is the client's memory, not the simulator's.
   */
  /** Days of generated candles, serialized rows, and bytes of whole kline answers kept for reuse. */
  cacheLimits: CacheLimits = { days: 400, rows: 600_000, pageBytes: 128 * 1024 * 1024 };

  constructor(
    private readonly seed: number,
    readonly venue: string,
    readonly asset: Asset,
  ) {
    // Binance is the reference quote; other venues wobble a few basis points around it.
    this.path = new PricePath(seed, asset, venue === 'binance' ? undefined : venue);
    this.venueKey = hashString(`${venue}:${asset.key}`);
  }

  get priceDecimals(): number {
    return this.asset.priceDecimals;
  }

  /**
   * Maintenance windows on the UTC day starting at `dayStart`: on about one day in ten, one window of
   * 15 to 120 minutes at a deterministic minute (real exchanges pause far less often; this is
   * frequent enough that every test range of a few weeks meets one).
   */
  maintenanceOn(dayStart: number): Window[] {
    const day = Math.floor(dayStart / DAY_MS);
    const h = hashInts(this.seed, this.venueKey, 7, day);
    if (unit(h) >= MAINTENANCE_DAY_CHANCE) return [];
    const startMinute = hashInts(this.seed, this.venueKey, 8, day) % (MINUTES_PER_DAY - 120);
    const length = 15 + (hashInts(this.seed, this.venueKey, 9, day) % 106);
    const from = dayStart + startMinute * MINUTE_MS;
    return [{ from, to: from + length * MINUTE_MS }];
  }

  /** The first maintenance window starting at or after `from` (within a year), for tests and demos. */
  nextMaintenance(from: number): Window | null {
    for (let day = floorToTimeframe('1d', from); day < from + 366 * DAY_MS; day += DAY_MS) {
      const w = this.maintenanceOn(day).find((m) => m.from >= from);
      if (w) return w;
    }
    return null;
  }

  /** All windows with no published candles (before listing, maintenance) overlapping [from, to). */
  emptyWindows(from: number, to: number): Window[] {
    const out: Window[] = [];
    if (from < this.asset.listedAt) out.push({ from, to: Math.min(to, this.asset.listedAt) });
    for (let day = floorToTimeframe('1d', Math.max(from, this.asset.listedAt)); day < to; day += DAY_MS) {
      for (const w of this.maintenanceOn(day)) if (w.to > from && w.from < to) out.push(w);
    }
    return out;
  }

  private day(dayStart: number): DayMinutes {
    const cached = this.dayCache.get(dayStart);
    if (cached) return cached;
    const arrays: DayMinutes = {
      open: new Float64Array(MINUTES_PER_DAY),
      high: new Float64Array(MINUTES_PER_DAY),
      low: new Float64Array(MINUTES_PER_DAY),
      close: new Float64Array(MINUTES_PER_DAY),
      volume: new Float64Array(MINUTES_PER_DAY).fill(-1),
      trades: new Float64Array(MINUTES_PER_DAY),
    };
    const windows = this.emptyWindows(dayStart, dayStart + DAY_MS);
    const ticks = this.path.ticksSeries(dayStart, MINUTE_MS, MINUTES_PER_DAY + 1);
    for (let i = 0; i < MINUTES_PER_DAY; i++) {
      const t = dayStart + i * MINUTE_MS;
      if (windows.some((w) => t >= w.from && t < w.to)) continue;
      const c = this.path.minuteFrom(t, ticks[i]!, ticks[i + 1]!);
      arrays.open[i] = c.open;
      arrays.high[i] = c.high;
      arrays.low[i] = c.low;
      arrays.close[i] = c.close;
      arrays.volume[i] = c.volume;
      arrays.trades[i] = c.trades;
    }
    if (this.dayCache.size >= this.cacheLimits.days) this.dayCache.delete(this.dayCache.keys().next().value!);
    this.dayCache.set(dayStart, arrays);
    return arrays;
  }

  /** The candle of timeframe `tf` opening at aligned `openTime`, as published at `now`, or null. */
  candleAt(tf: Timeframe, openTime: number, now: number): TruthCandle | null {
    if (openTime > now) return null;
    const end = nextOpen(tf, openTime);
    let found = false;
    let open = 0,
      high = 0,
      low = 0,
      close = 0,
      volume = 0,
      trades = 0;
    const first = Math.max(openTime, this.asset.listedAt - (this.asset.listedAt % MINUTE_MS));
    for (let t = first; t < end && t <= now; t += MINUTE_MS) {
      const dayStart = t - (t % DAY_MS);
      const d = this.day(dayStart);
      const i = (t - dayStart) / MINUTE_MS;
      if (d.volume[i]! < 0) continue;
      let mOpen = d.open[i]!,
        mHigh = d.high[i]!,
        mLow = d.low[i]!,
        mClose = d.close[i]!,
        mVolume = d.volume[i]!,
        mTrades = d.trades[i]!;
      if (now < t + MINUTE_MS) {
        const partial = this.path.minute(t, (now - t) / MINUTE_MS);
        mOpen = partial.open;
        mHigh = partial.high;
        mLow = partial.low;
        mClose = partial.close;
        mVolume = partial.volume;
        mTrades = partial.trades;
      }
      if (this.edits.active) {
        ({
          open: mOpen,
          high: mHigh,
          low: mLow,
          close: mClose,
          volume: mVolume,
        } = this.edits.apply(
          t,
          { open: mOpen, high: mHigh, low: mLow, close: mClose, volume: mVolume, trades: mTrades },
          now,
        ));
      }
      if (!found) {
        found = true;
        open = mOpen;
        high = mHigh;
        low = mLow;
        close = mClose;
        volume = mVolume;
        trades = mTrades;
      } else {
        if (mHigh > high) high = mHigh;
        if (mLow < low) low = mLow;
        close = mClose;
        volume += mVolume;
        trades += mTrades;
      }
    }
    return found ? { openTime, open, high, low, close, volume, trades, closed: end <= now } : null;
  }

  /**
   * Candles with open time in [startTime, endTime], oldest first, at most `limit` (Binance semantics:
   * a kline is selected by its open time).
   */
  range(tf: Timeframe, startTime: number, endTime: number, limit: number, now: number): TruthCandle[] {
    const out: TruthCandle[] = [];
    let t = ceilToTimeframe(tf, Math.max(startTime, floorToTimeframe(tf, this.asset.listedAt)));
    const last = Math.min(endTime, now);
    while (t <= last && out.length < limit) {
      const c = this.candleAt(tf, t, now);
      if (c) out.push(c);
      t = nextOpen(tf, t);
    }
    return out;
  }
}
