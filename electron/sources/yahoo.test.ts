import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import { ManualClock } from '../net/clock.js';
import { Network } from '../net/network.js';
import { Store } from '../store/store.js';
import { backfill } from '../engine/backfill.js';
import { DEFAULT_EVIDENCE } from '../engine/evidence.js';
import { openTempStore } from '../test-support/temp-store.js';
import { YahooSource } from './yahoo.js';
import { SourceError } from './source.js';
import type { Candle } from '../../shared/domain.js';
import { DAY_MS, MINUTE_MS, floorToTimeframe, type Timeframe } from '../../shared/timeframe.js';

const NOW = Date.parse('2024-07-20T12:00:00Z');
const MINUTES: Partial<Record<Timeframe, number>> = { '1m': 1, '5m': 5, '30m': 30 };

describe('yahoo backfill against the simulator', () => {
  let sim: Simulator;
  let store: Store;
  let closeStore: () => void;
  const clock = new ManualClock(NOW);

  beforeEach(async () => {
    clock.set(NOW);
    sim = await startSimulator({ seed: 11, clock });
    ({ store, close: closeStore } = openTempStore());
  });
  afterEach(async () => {
    closeStore();
    await sim.close();
  });

  const source = (): YahooSource =>
    new YahooSource({ hosts: [`${sim.url}/yahoo`], clock, network: new Network(clock) });
  const deps = () => ({ store, clock, source: source() });

  /** What the simulator serves in [from, to) at `tf`: bars with prices, as the client must store them. */
  function served(symbol: string, tf: Timeframe, from: number, to: number): Candle[] {
    const instrument = sim.yahoo.symbols.get(symbol)!;
    const bars = MINUTES[tf]
      ? instrument.intraday(MINUTES[tf]!, from, to - 1, clock.now())
      : instrument.calendar(tf === '1d' ? '1d' : tf === '1w' ? '1wk' : '1mo', from - DAY_MS, to, clock.now());
    return bars
      .filter((b) => b.open !== null && b.ts + (MINUTES[tf] ?? 0) * MINUTE_MS <= clock.now())
      .map((b) => ({
        ts: MINUTES[tf] ? b.ts : floorToTimeframe(tf, b.ts),
        open: b.open!,
        high: b.high!,
        low: b.low!,
        close: b.close!,
        volume: b.volume,
      }))
      .filter((c) => c.ts >= from && c.ts < to);
  }

  it('backfills a week of 5m AAPL in one request with no gap for nights, the weekend or the 4th of July', async () => {
    const from = Date.parse('2024-07-01T00:00:00Z');
    const to = Date.parse('2024-07-08T00:00:00Z');
    const summary = await backfill(deps(), { key: { source: 'yahoo', symbol: 'aapl', timeframe: '5m' }, from, to });

    const stored = store.candles.range(summary.seriesId, from, to);
    const expected = served('AAPL', '5m', from, to);
    // Mon-Wed and Fri sessions; Wednesday the 3rd closes at 13:00; the 4th is a holiday.
    expect(expected.length).toBe(78 * 3 + 42);
    expect(stored).toEqual(expected);
    expect(summary.holes).toEqual([]);
    expect(summary.requests).toBe(1);

    const closed = store.holes.list(summary.seriesId).filter((h) => h.state === 'market_closed');
    const covers = (a: string, b: string): boolean =>
      closed.some((h) => h.fromTs <= Date.parse(a) && h.toTs >= Date.parse(b));
    expect(covers('2024-07-03T17:00:00Z', '2024-07-05T13:30:00Z')).toBe(true); // early close, holiday, night
    expect(covers('2024-07-05T20:00:00Z', '2024-07-08T00:00:00Z')).toBe(true); // the weekend
    expect(covers('2024-07-01T00:00:00Z', '2024-07-01T13:30:00Z')).toBe(true); // Monday's pre-open
    expect(store.holes.list(summary.seriesId).every((h) => h.state === 'market_closed')).toBe(true);

    const again = await backfill(deps(), { key: { source: 'yahoo', symbol: 'AAPL', timeframe: '5m' }, from, to });
    expect(again.requests).toBe(0);
  });

  it('skips 1m bars of nulls (never zeros) and confirms them as source gaps after a second look', async () => {
    const from = Date.parse('2024-07-15T00:00:00Z');
    const to = Date.parse('2024-07-17T00:00:00Z');
    const instrument = sim.yahoo.symbols.get('AAPL')!;
    const nullMinutes = instrument
      .intraday(1, from, to - 1, NOW)
      .filter((b) => b.open === null)
      .map((b) => b.ts);
    expect(nullMinutes.length).toBeGreaterThan(0);

    const first = await backfill(deps(), { key: { source: 'yahoo', symbol: 'AAPL', timeframe: '1m' }, from, to });
    expect(first.holes.every((h) => h.state === 'open')).toBe(true);
    await clock.advance(DEFAULT_EVIDENCE.secondLookAfterMs);
    const summary = await backfill(deps(), { key: { source: 'yahoo', symbol: 'AAPL', timeframe: '1m' }, from, to });
    const stored = store.candles.range(summary.seriesId, from, to);
    expect(stored).toEqual(served('AAPL', '1m', from, to));
    expect(stored.every((c) => c.open > 0 && c.close > 0)).toBe(true);
    expect(summary.holes.map((h) => [h.fromTs, h.toTs, h.state, h.cause])).toEqual(
      nullMinutes.map((ts) => [ts, ts + MINUTE_MS, 'confirmed_empty', 'source_gap']),
    );
  });

  it('takes a weekend answer with no timestamp key as a closed market, not a gap', async () => {
    const from = Date.parse('2024-07-13T00:00:00Z');
    const to = Date.parse('2024-07-15T00:00:00Z');
    const summary = await backfill(deps(), { key: { source: 'yahoo', symbol: 'AAPL', timeframe: '1m' }, from, to });
    expect(summary).toMatchObject({ candlesStored: 0, requests: 1, holes: [] });
    expect(store.holes.list(summary.seriesId).map((h) => [h.fromTs, h.toTs, h.state])).toEqual([
      [from, to, 'market_closed'],
    ]);
  });

  it('stores BTC-USD (24/7) daily candles at 00:00 UTC with no market-closed range', async () => {
    const from = Date.parse('2024-05-01T00:00:00Z');
    const to = Date.parse('2024-07-01T00:00:00Z');
    const summary = await backfill(deps(), { key: { source: 'yahoo', symbol: 'BTC-USD', timeframe: '1d' }, from, to });
    const stored = store.candles.range(summary.seriesId, from, to);
    expect(stored.length).toBe(61);
    expect(stored).toEqual(served('BTC-USD', '1d', from, to));
    expect(store.holes.list(summary.seriesId)).toEqual([]);
  });

  it('stores AAPL daily bars (stamped 09:30 New York) at 00:00 UTC of their date; weekends and holidays are closed', async () => {
    const from = Date.parse('2024-05-01T00:00:00Z');
    const to = Date.parse('2024-07-01T00:00:00Z');
    const summary = await backfill(deps(), { key: { source: 'yahoo', symbol: 'AAPL', timeframe: '1d' }, from, to });
    const stored = store.candles.range(summary.seriesId, from, to);
    expect(stored).toEqual(served('AAPL', '1d', from, to));
    expect(stored.map((c) => new Date(c.ts).toISOString().slice(0, 10))).not.toContain('2024-05-27'); // Memorial Day
    expect(stored.every((c) => c.ts % DAY_MS === 0)).toBe(true);
    expect(summary.holes).toEqual([]);
  });

  it('stores weekly and monthly bars (stamped at New York midnight, in summer and winter time) on the UTC Monday and month grid', async () => {
    const from = Date.parse('2023-10-01T00:00:00Z');
    const to = Date.parse('2024-04-01T00:00:00Z');
    for (const tf of ['1w', '1M'] as const) {
      const summary = await backfill(deps(), { key: { source: 'yahoo', symbol: 'SPY', timeframe: tf }, from, to });
      const stored = store.candles.range(summary.seriesId, from, to);
      expect(stored).toEqual(served('SPY', tf, from, to));
      expect(stored.length).toBe(tf === '1w' ? 26 : 6);
      expect(summary.holes).toEqual([]);
    }
  });

  it('refuses 1m beyond the last 30 days and an unsupported timeframe before sending any request', async () => {
    const from = NOW - 31 * DAY_MS;
    await expect(
      backfill(deps(), { key: { source: 'yahoo', symbol: 'AAPL', timeframe: '1m' }, from, to: NOW }),
    ).rejects.toThrow(
      /yahoo serves 1m candles only for the last 30 days \(from 2024-06-20T12:00:00.000Z\): start later or a timeframe that reaches further: 5m\/15m\/30m \(last 60 days\), 1h \(last 730 days\), 1d\/1w\/1M \(all history\)$/,
    );
    await expect(
      backfill(deps(), { key: { source: 'yahoo', symbol: 'AAPL', timeframe: '3m' }, from: NOW - DAY_MS, to: NOW }),
    ).rejects.toThrow(
      'yahoo has no 3m candles: it serves 1m (last 30 days), 5m/15m/30m (last 60 days), 1h (last 730 days), 1d/1w/1M (all history)',
    );
    expect(sim.log.since()).toEqual([]);
    expect(store.series.list()).toEqual([]);
  });

  it("fails on an unknown symbol with Yahoo's message", async () => {
    await expect(
      backfill(deps(), { key: { source: 'yahoo', symbol: 'NOPE', timeframe: '1d' }, from: NOW - 10 * DAY_MS, to: NOW }),
    ).rejects.toThrow(/Yahoo has no symbol 'NOPE': No data found, symbol may be delisted \(Not Found\)/);
  });

  it('refuses 1h for a US equity whose bars start at :30, naming the timeframes that fit', async () => {
    const from = Date.parse('2024-07-15T00:00:00Z');
    await expect(
      backfill(deps(), { key: { source: 'yahoo', symbol: 'MSFT', timeframe: '1h' }, from, to: from + 2 * DAY_MS }),
    ).rejects.toThrow(/Yahoo's 1h bars for MSFT start at 13:30 UTC, off Candlekeep's 1h grid .*use 30m or 1d for MSFT/);
  });

  it("reports Yahoo's plain-text 429 as a rate limit", async () => {
    sim.yahoo.limitPerMinute = 0;
    const from = Date.parse('2024-07-15T00:00:00Z');
    const err = await source()
      .fetchWindow({ symbol: 'AAPL', timeframe: '5m', from, to: from + DAY_MS })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect(err).toMatchObject({
      kind: 'rate_limited',
      status: 429,
      message: 'Yahoo rate limit (HTTP 429): Too Many Requests',
    });
  });

  it('finds instruments with --search and says a search text is needed', async () => {
    const found = await source().listInstruments('apple');
    expect(found).toEqual([{ symbol: 'AAPL', name: 'Apple Inc.', trading: 'sessions' }]);
    expect((await source().listInstruments('btc')).map((i) => [i.symbol, i.trading])).toEqual([['BTC-USD', '24/7']]);
    await expect(source().listInstruments()).rejects.toThrow(/pass --search TEXT/);
  });
});
