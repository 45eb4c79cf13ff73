/** Every recorded Yahoo chart response (../shared/fixtures/yahoo), parsed and run through the source. */
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES_MISSING, fixtureFiles, recorded, replay } from '../test-support/fixtures.js';
import { ManualClock } from '../net/clock.js';
import { Network } from '../net/network.js';
import { isNoDataError, parseChart, yahooError } from './yahoo-wire.js';
import { YahooSource } from './yahoo.js';
import type { Candle } from '../../shared/domain.js';

const FILES = {
  aapl1m: 'chart-AAPL-1m-2024-10-02-with-nulls-tradingPeriods.json',
  weekend: 'chart-AAPL-1m-weekend-empty-quote.json',
  btc1d: 'chart-BTC-USD-1d-2020-01-01.json',
  beke400: 'chart-BEKE-400-data-doesnt-exist.json',
  si404: 'chart-SI-404-no-data-found.json',
};

describe.skipIf(FIXTURES_MISSING)(`yahoo recorded responses${FIXTURES_MISSING ? ` (${FIXTURES_MISSING})` : ''}`, () => {
  let closeServer: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await closeServer?.();
    closeServer = undefined;
  });

  /** A YahooSource whose only host answers with the recorded response; `now` as when it was recorded. */
  async function sourceFor(file: string, now: number): Promise<{ source: YahooSource; paths: string[] }> {
    const server = await replay(recorded('yahoo', file));
    closeServer = server.close;
    const clock = new ManualClock(now);
    return {
      source: new YahooSource({ hosts: [server.url], clock, network: new Network(clock) }),
      paths: server.paths,
    };
  }

  it('covers every recorded file', () => {
    expect(fixtureFiles('yahoo')).toEqual(Object.values(FILES).sort());
  });

  it('AAPL 1m: 390 bars with prices, the all-null bar 105 skipped, sessions from tradingPeriods', () => {
    const rec = recorded('yahoo', FILES.aapl1m);
    const chart = parseChart(rec.body);
    expect(chart.meta).toEqual({
      symbol: 'AAPL',
      instrumentType: 'EQUITY',
      exchangeTimezoneName: 'America/New_York',
      gmtoffset: -14400,
      firstTradeMs: 345479400_000,
      dataGranularity: '1m',
    });
    expect(chart.nullBars).toBe(1);
    expect(chart.bars).toHaveLength(390);
    expect(chart.bars[0]).toEqual({
      ts: 1727875800_000,
      open: 225.88999938964844,
      high: 226.11000061035156,
      low: 225.4199981689453,
      close: 225.6999969482422,
      volume: 1205461,
    });
    // Bar 105 (15:15 UTC) is null in every array: no candle, and certainly no zeros; its neighbours stay.
    expect(chart.bars.slice(104, 106)).toEqual([
      {
        ts: 1727882040_000,
        open: 226.1300048828125,
        high: 226.13999938964844,
        low: 226.0800018310547,
        close: 226.1300048828125,
        volume: 11712,
      },
      {
        ts: 1727882160_000,
        open: 226.33999633789062,
        high: 226.38800048828125,
        low: 226.2899932861328,
        close: 226.3800048828125,
        volume: 191527,
      },
    ]);
    expect(chart.bars[388]).toEqual({
      ts: 1727899140_000,
      open: 226.86000061035156,
      high: 226.96009826660156,
      low: 226.69009399414062,
      close: 226.80999755859375,
      volume: 546314,
    });
    expect(chart.bars.some((b) => b.open === 0 || b.close === 0)).toBe(false);
    expect(chart.bars[390 - 1]).toMatchObject({ ts: 1727985600_000, volume: 0 });
    expect(chart.sessions).toEqual([
      { from: 1727789400_000, to: 1727812800_000 },
      { from: 1727875800_000, to: 1727899200_000 },
      { from: 1727962200_000, to: 1727985600_000 },
    ]);
  });

  it('AAPL 1m through the source: exactly the 389 session candles of Oct 2; night hours closed; the appended latest quote dropped', async () => {
    const rec = recorded('yahoo', FILES.aapl1m);
    const raw = (
      JSON.parse(rec.body) as {
        chart: {
          result: Array<{ timestamp: number[]; indicators: { quote: Array<Record<string, Array<number | null>>> } }>;
        };
      }
    ).chart.result[0]!;
    const q = raw.indicators.quote[0]!;
    const expected: Candle[] = raw.timestamp
      .map((t, i) => ({
        ts: t * 1000,
        open: q.open![i]!,
        high: q.high![i]!,
        low: q.low![i]!,
        close: q.close![i]!,
        volume: q.volume![i]!,
      }))
      .filter((c, i) => q.open![i] !== null && c.ts < 1727913600_000);
    expect(expected).toHaveLength(389);

    const from = 1727827200_000; // 2024-10-02T00:00Z, the recorded period1
    const { source, paths } = await sourceFor(FILES.aapl1m, Date.parse('2024-10-04T12:07:44Z'));
    const result = await source.fetchWindow({ symbol: 'AAPL', timeframe: '1m', from, to: from + 86_400_000 });
    expect(result.candles).toEqual(expected);
    expect(result.marketClosed).toEqual([
      { from, to: 1727875800_000 },
      { from: 1727899200_000, to: from + 86_400_000 },
    ]);
    expect(paths).toEqual([
      '/v8/finance/chart/AAPL?period1=1727827200&period2=1727913600&interval=1m&includePrePost=false&events=div%7Csplit',
    ]);
  });

  it('a weekend answer (no timestamp key, quote [{}]) is an empty window, closed for an equity', async () => {
    const chart = parseChart(recorded('yahoo', FILES.weekend).body);
    expect(chart).toMatchObject({
      bars: [],
      nullBars: 0,
      sessions: null,
      meta: { symbol: 'AAPL', instrumentType: 'EQUITY' },
    });
    const from = 1738368000_000;
    const { source } = await sourceFor(FILES.weekend, Date.parse('2025-02-20T11:47:42Z'));
    const result = await source.fetchWindow({ symbol: 'AAPL', timeframe: '1m', from, to: 1738454400_000 });
    expect(result).toEqual({ candles: [], marketClosed: [{ from, to: 1738454400_000 }], requests: 1 });
  });

  it('BTC-USD 1d: three 00:00 UTC candles with volume, 24/7 so nothing is market-closed', async () => {
    const expected: Candle[] = [
      {
        ts: 1577836800_000,
        open: 7194.89208984375,
        high: 7254.33056640625,
        low: 7174.9443359375,
        close: 7200.17431640625,
        volume: 18565664997,
      },
      {
        ts: 1577923200_000,
        open: 7202.55126953125,
        high: 7212.1552734375,
        low: 6935.27001953125,
        close: 6985.47021484375,
        volume: 20802083465,
      },
      {
        ts: 1578009600_000,
        open: 6984.4287109375,
        high: 7413.71533203125,
        low: 6914.99609375,
        close: 7344.88427734375,
        volume: 28111481032,
      },
    ];
    const chart = parseChart(recorded('yahoo', FILES.btc1d).body);
    expect(chart.bars).toEqual(expected);
    expect(chart.meta).toMatchObject({ instrumentType: 'CRYPTOCURRENCY', exchangeTimezoneName: 'UTC', gmtoffset: 0 });
    const { source } = await sourceFor(FILES.btc1d, Date.parse('2025-02-20T11:47:41Z'));
    const result = await source.fetchWindow({
      symbol: 'BTC-USD',
      timeframe: '1d',
      from: 1577836800_000,
      to: 1578096000_000,
    });
    expect(result).toEqual({ candles: expected, requests: 1 });
  });

  it('BEKE 400 "Data doesn\'t exist": a rejected error that the source reads as a window with no data', async () => {
    const rec = recorded('yahoo', FILES.beke400);
    const err = yahooError(rec.status, rec.body, undefined);
    expect(err).toMatchObject({
      kind: 'rejected',
      status: 400,
      message:
        "Yahoo refused the request (HTTP 400): Data doesn't exist for startDate = 1577836800, endDate = 1578009600 (Bad Request)",
    });
    expect(isNoDataError(err)).toBe(true);
    const { source } = await sourceFor(FILES.beke400, Date.parse('2021-11-21T14:01:31Z'));
    expect(
      await source.fetchWindow({ symbol: 'BEKE', timeframe: '1d', from: 1577836800_000, to: 1578096000_000 }),
    ).toEqual({ candles: [], requests: 1 });
  });

  it("SI 404: the user is told the symbol is unknown, with Yahoo's words and what to do", async () => {
    const rec = recorded('yahoo', FILES.si404);
    expect(yahooError(rec.status, rec.body, undefined)).toMatchObject({
      kind: 'rejected',
      status: 404,
      message: 'Yahoo refused the request (HTTP 404): No data found, symbol may be delisted (Not Found)',
    });
    const { source } = await sourceFor(FILES.si404, Date.parse('2024-09-16T12:14:24Z'));
    await expect(
      source.fetchWindow({ symbol: 'SI', timeframe: '1d', from: 1577836800_000, to: 1578096000_000 }),
    ).rejects.toThrow(
      "Yahoo has no symbol 'SI': No data found, symbol may be delisted (Not Found); find it with 'candlekeep symbols --source yahoo --search TEXT'",
    );
  });
});
