/**
 * What the simulator's Yahoo venue knows about one symbol: bars at any Yahoo interval built from the
 * same 1m price path as every other venue. Equities trade only in the US sessions of
 * market-calendar.ts (intraday bars start at the session open, daily bars are stamped at it, weekly
 * and monthly at local midnight); crypto trades around the clock on the UTC grid. Like the real
 * feed, a minute now and then has no trade data: a 1m bar there is all nulls.
 */
import { PricePath, VOLUME_DECIMALS } from './price-path.js';
import { VenueEdits } from './venue-edits.js';
import { hashInts, hashString, unit } from './hash.js';
import type { Asset } from './instruments.js';
import { newYorkMidnight, sessionsBetween, type Session } from './market-calendar.js';
import { DAY_MS, MINUTE_MS, ceilToTimeframe, floorToTimeframe } from '../../shared/timeframe.js';

/** One bar as the chart endpoint sends it (prices as float32 values, like Yahoo's). */
export interface YahooBar {
  /** Epoch ms (the wire carries seconds). */
  ts: number;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number | null;
  volume: number | null;
}

/** Yahoo intervals the simulator serves, in minutes; d/wk/mo are calendar intervals. */
export const YAHOO_INTRADAY_MINUTES: Record<string, number> = {
  '1m': 1,
  '2m': 2,
  '5m': 5,
  '15m': 15,
  '30m': 30,
  '60m': 60,
  '90m': 90,
  '1h': 60,
};
export const YAHOO_CALENDAR_INTERVALS = ['1d', '1wk', '1mo'] as const;

/** About one minute in 400 has no data (Yahoo sends a bar of nulls for it). */
const MISSING_MINUTE_RATE = 1 / 400;

export class YahooInstrument {
  readonly path: PricePath;
  /** Revisions and divergences a test injects (venue-edits.ts). */
  readonly edits = new VenueEdits();
  private readonly key: number;

  constructor(
    private readonly seed: number,
    readonly asset: Asset,
  ) {
    this.path = new PricePath(seed, asset, 'yahoo');
    this.key = hashString(`yahoo:${asset.key}`);
  }

  get symbol(): string {
    return this.asset.yahoo!.symbol;
  }

  get isEquity(): boolean {
    return this.asset.yahoo!.kind === 'equity';
  }

  /** First trade: the listing date for equities; crypto on Yahoo starts with its data. */
  get firstTrade(): number {
    return this.asset.listedAt;
  }

  /** Sessions overlapping [from, to); for crypto one endless session per UTC day. */
  sessions(from: number, to: number): Session[] {
    if (this.isEquity) return sessionsBetween(from, to);
    const out: Session[] = [];
    for (let day = Math.floor(from / DAY_MS) * DAY_MS; day < to; day += DAY_MS)
      out.push({ start: day, end: day + DAY_MS, gmtoffset: 0 });
    return out;
  }

  private missing(t: number): boolean {
    return unit(hashInts(this.seed, this.key, 211, Math.floor(t / MINUTE_MS))) < MISSING_MINUTE_RATE;
  }

  /** Aggregate the closed minutes of [from, to) (bounded by `now`); null values when none has data. */
  private aggregate(ts: number, from: number, to: number, now: number): YahooBar {
    const start = Math.max(from, floorToTimeframe('1m', this.firstTrade));
    const count = Math.max(0, Math.floor((Math.min(to, now) - start) / MINUTE_MS));
    // One pass over the path per bar (each lattice point hashed once), as truth.ts does for a day.
    const ticks = count ? this.path.ticksSeries(start, MINUTE_MS, count + 1) : new Float64Array(0);
    let open = 0,
      high = 0,
      low = 0,
      close = 0,
      volume = 0;
    let found = false;
    for (let i = 0; i < count; i++) {
      const t = start + i * MINUTE_MS;
      if (this.missing(t)) continue;
      const base = this.path.minuteFrom(t, ticks[i]!, ticks[i + 1]!);
      const m = this.edits.active ? this.edits.apply(t, base, now) : base;
      if (!found) {
        found = true;
        open = m.open;
        high = m.high;
        low = m.low;
        close = m.close;
        volume = m.volume;
      } else {
        high = Math.max(high, m.high);
        low = Math.min(low, m.low);
        close = m.close;
        volume += m.volume;
      }
    }
    if (!found) return { ts, open: null, high: null, low: null, close: null, volume: null };
    const price = (units: number): number => Math.fround(units / this.path.tick);
    return {
      ts,
      open: price(open),
      high: price(high),
      low: price(low),
      close: price(close),
      volume: Math.round(volume / 10 ** VOLUME_DECIMALS),
    };
  }

  /** Intraday bars of `minutes` starting in [from, to] (Yahoo includes a bar stamped at period2). */
  intraday(minutes: number, from: number, to: number, now: number): YahooBar[] {
    const step = minutes * MINUTE_MS;
    const bars: YahooBar[] = [];
    for (const s of this.sessions(from, to + 1)) {
      // Equity bars count from the session open (a 60m bar at 09:30); crypto bars from UTC midnight.
      for (let t = s.start; t < s.end; t += step) {
        if (t < from || t > to || t + MINUTE_MS > now || t < floorToTimeframe('1m', this.firstTrade)) continue;
        bars.push(this.aggregate(t, t, Math.min(t + step, s.end), now));
      }
    }
    return bars;
  }

  /** Daily, weekly or monthly bars whose period starts in [from, to]. */
  calendar(interval: (typeof YAHOO_CALENDAR_INTERVALS)[number], from: number, to: number, now: number): YahooBar[] {
    const bars: YahooBar[] = [];
    if (interval === '1d') {
      for (const s of this.sessions(from, to + 1)) {
        if (s.start < from || s.start > to || s.start >= now || s.end <= this.firstTrade) continue;
        bars.push(this.aggregate(s.start, s.start, s.end, now));
      }
      return bars.filter((b) => b.open !== null);
    }
    const tf = interval === '1wk' ? '1w' : '1M';
    // Periods are calendar weeks/months of the exchange's local dates.
    for (let p = floorToTimeframe(tf, from); p <= to; p = ceilToTimeframe(tf, p + DAY_MS)) {
      const end = ceilToTimeframe(tf, p + DAY_MS);
      const stamp = this.isEquity ? newYorkMidnight(p + 12 * 3600_000) : p;
      if (stamp < from || stamp > to || stamp >= now) continue;
      const sessions = this.sessions(stamp, this.isEquity ? newYorkMidnight(end + 12 * 3600_000) : end);
      const parts = sessions.map((s) => this.aggregate(s.start, s.start, s.end, now)).filter((b) => b.open !== null);
      if (!parts.length) continue;
      bars.push({
        ts: stamp,
        open: parts[0]!.open,
        high: Math.max(...parts.map((b) => b.high!)),
        low: Math.min(...parts.map((b) => b.low!)),
        close: parts[parts.length - 1]!.close,
        volume: parts.reduce((sum, b) => sum + b.volume!, 0),
      });
    }
    return bars;
  }

  /** The last trade time the quote shows: now in a session, else the end of the last session. */
  regularMarketTime(now: number): number {
    const recent = this.sessions(now - 10 * DAY_MS, now).filter((s) => s.start <= now);
    const last = recent[recent.length - 1];
    return last ? Math.min(now, last.end) : now;
  }

  /** The 1m price at an instant, as Yahoo would round it. */
  priceAt(t: number): number {
    return Math.fround(this.path.ticksAt(t) / this.path.tick);
  }
}
