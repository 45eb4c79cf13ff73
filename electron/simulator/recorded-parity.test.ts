/**
 * The simulator against the real recordings in ../shared/fixtures: the same request, sent to the
 * simulator at the moment it was recorded, must come back in the same shape (and, where the
 * recording is about calendar or paging rules, with the same timestamps and error bodies).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES_MISSING, recorded } from '../test-support/fixtures.js';
import { ManualClock } from '../net/clock.js';
import { startSimulator, type Simulator } from './simulator.js';

/** The recorded request's path and query, sent to the simulator's venue prefix. */
async function replayAt(
  sim: Simulator,
  venue: string,
  url: string,
  strip = '',
): Promise<{ status: number; body: string; type: string }> {
  const target = new URL(url);
  const res = await fetch(`${sim.url}/${venue}${target.pathname.slice(strip.length)}${target.search}`);
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') ?? '' };
}

const keys = (o: unknown): string[] => Object.keys(o as object).sort();

describe.skipIf(FIXTURES_MISSING)(
  `simulator vs recorded responses${FIXTURES_MISSING ? ` (${FIXTURES_MISSING})` : ''}`,
  () => {
    let sim: Simulator | undefined;
    afterEach(async () => sim?.close());
    const start = async (recordedAt: string): Promise<Simulator> =>
      (sim = await startSimulator({ seed: 1, clock: new ManualClock(Date.parse(recordedAt)) }));

    it('yahoo AAPL 1m on 2024-10-02: same sessions, 390 bars plus the appended latest quote, same meta keys', async () => {
      const rec = recorded('yahoo', 'chart-AAPL-1m-2024-10-02-with-nulls-tradingPeriods.json');
      const real = JSON.parse(rec.body).chart.result[0];
      const ours = JSON.parse((await replayAt(await start('2024-10-04T12:07:44Z'), 'yahoo', rec.url)).body).chart
        .result[0];
      expect(keys(ours)).toEqual(keys(real));
      expect(keys(ours.meta)).toEqual(expect.arrayContaining(keys(real.meta)));
      expect(ours.meta.tradingPeriods).toEqual(real.meta.tradingPeriods);
      expect([ours.meta.gmtoffset, ours.meta.timezone, ours.meta.exchangeTimezoneName]).toEqual([
        real.meta.gmtoffset,
        real.meta.timezone,
        real.meta.exchangeTimezoneName,
      ]);
      expect(ours.timestamp).toEqual(real.timestamp);
      expect(keys(ours.indicators)).toEqual(keys(real.indicators));
      expect(keys(ours.indicators.quote[0])).toEqual(keys(real.indicators.quote[0]));
    });

    it('yahoo AAPL 1m over a weekend: no timestamp key, quote [{}], no trading periods', async () => {
      const rec = recorded('yahoo', 'chart-AAPL-1m-weekend-empty-quote.json');
      const real = JSON.parse(rec.body).chart;
      const ours = JSON.parse((await replayAt(await start('2025-02-20T11:47:42Z'), 'yahoo', rec.url)).body).chart;
      expect(ours.error).toBeNull();
      expect(keys(ours.result[0])).toEqual(keys(real.result[0]));
      expect(ours.result[0].indicators).toEqual(real.result[0].indicators);
      expect(ours.result[0].meta.tradingPeriods).toBeUndefined();
      expect(keys(ours.result[0].meta)).toEqual(keys(real.result[0].meta));
    });

    it('yahoo BTC-USD 1d: three 00:00 UTC bars, the one at period2 included, with adjclose', async () => {
      const rec = recorded('yahoo', 'chart-BTC-USD-1d-2020-01-01.json');
      const real = JSON.parse(rec.body).chart.result[0];
      const ours = JSON.parse((await replayAt(await start('2025-02-20T11:47:41Z'), 'yahoo', rec.url)).body).chart
        .result[0];
      expect(ours.timestamp).toEqual(real.timestamp);
      expect(keys(ours.indicators)).toEqual(['adjclose', 'quote']);
      const pick = (m: Record<string, unknown>) => [
        m.instrumentType,
        m.exchangeName,
        m.timezone,
        m.exchangeTimezoneName,
        m.gmtoffset,
      ];
      expect(pick(ours.meta)).toEqual(pick(real.meta));
    });

    it('yahoo errors: the 404 body of an unknown symbol, the 400 body of a range before the listing', async () => {
      const s = await start('2024-09-16T12:14:24Z');
      const notFound = recorded('yahoo', 'chart-SI-404-no-data-found.json');
      const ours404 = await replayAt(s, 'yahoo', notFound.url.replace('/chart/SI?', '/chart/NOPE?'));
      expect(ours404.status).toBe(404);
      expect(JSON.parse(ours404.body)).toEqual(JSON.parse(notFound.body));
      const before = recorded('yahoo', 'chart-BEKE-400-data-doesnt-exist.json');
      // AAPL lists in 1980: ask for the first days of 1980 as the recording asked BEKE for 2020's.
      const ours400 = await replayAt(
        s,
        'yahoo',
        before.url
          .replace('/chart/BEKE?', '/chart/AAPL?')
          .replace('period1=1577836800', 'period1=315532800')
          .replace('period2=1578009600', 'period2=315705600'),
      );
      expect(ours400.status).toBe(400);
      expect(JSON.parse(ours400.body)).toEqual(
        JSON.parse(before.body.replace('1577836800', '315532800').replace('1578009600', '315705600')),
      );
    });

    it('coingecko: the same 404 body for the recorded malformed path', async () => {
      const rec = recorded('coingecko', 'openbb_market_chart_404_incorrect_path.yaml');
      const ours = await replayAt(await start('2022-04-26T15:52:46Z'), 'coingecko', rec.url);
      expect(ours.status).toBe(404);
      expect(ours.body).toBe(rec.body);
    });

    it('binance klines: the recorded windows and row types; the default limit is the latest 500 rows', async () => {
      const s = await start('2021-06-24T18:32:39Z');
      const types = (row: unknown[]): string[] => row.map((v) => typeof v);
      for (const file of ['exbinance_klines_starttime_endtime_limit2.json', 'exbinance_klines_default_limit500.json']) {
        const rec = recorded('binance', file);
        const real = JSON.parse(rec.body) as unknown[][];
        const ours = JSON.parse((await replayAt(s, 'binance', rec.url)).body) as unknown[][];
        expect(ours.map((r) => [r[0], r[6]])).toEqual(real.map((r) => [r[0], r[6]]));
        expect(ours.map(types)).toEqual(real.map(types));
      }
    });

    it('binance: the same 400 body for an unknown symbol; exchangeInfo has every field of the recorded one', async () => {
      const s = await start('2021-08-02T17:45:46Z');
      const bad = recorded('binance', 'exbinance_depth_error_invalid_symbol_400.json');
      const ours = await fetch(`${s.url}/binance/api/v3/klines?symbol=IDONTEXIST&interval=1m`);
      expect(ours.status).toBe(400);
      expect(await ours.text()).toBe(bad.body);
      const info = recorded('binance', 'exbinance_exchange_info_testnet.json');
      const real = JSON.parse(info.body);
      const oursInfo = await (await fetch(`${s.url}/binance/api/v3/exchangeInfo`)).json();
      expect(keys(oursInfo)).toEqual(keys(real));
      expect(keys(oursInfo.symbols[0])).toEqual(expect.arrayContaining(keys(real.symbols[0])));
      expect(keys(oursInfo.rateLimits[0])).toEqual(keys(real.rateLimits[0]));
    });
  },
);
