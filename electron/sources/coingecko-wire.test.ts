/**
 * CoinGecko's wire format: the one recorded response in ../shared/fixtures/coingecko, and the shapes
 * the documentation and issue reports show (no success body has been recorded publicly; see the
 * fixtures README), each labelled with where it comes from.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES_MISSING, fixtureFiles, recorded, replay } from '../test-support/fixtures.js';
import { ManualClock } from '../net/clock.js';
import { Network } from '../net/network.js';
import { coingeckoError, parseMarketChart, parseOhlc } from './coingecko-wire.js';
import { CoinGeckoSource, dailyCandles } from './coingecko.js';
import { SourceError } from './source.js';

const FOUR_HOURS = 4 * 3_600_000;
const RECORDED_404 = 'openbb_market_chart_404_incorrect_path.yaml';

describe.skipIf(FIXTURES_MISSING)(
  `coingecko recorded responses${FIXTURES_MISSING ? ` (${FIXTURES_MISSING})` : ''}`,
  () => {
    let close: (() => Promise<void>) | undefined;
    afterEach(async () => close?.());

    it('covers every recorded file', () => {
      expect(fixtureFiles('coingecko')).toEqual([RECORDED_404]);
    });

    it("the recorded 404 (gzip body) is a rejected error with CoinGecko's words, through the source too", async () => {
      const rec = recorded('coingecko', RECORDED_404);
      expect(rec.body).toBe('{"error":"Incorrect path. Please check https://www.coingecko.com/api/"}');
      expect(coingeckoError(rec.status, rec.body, undefined)).toMatchObject({
        kind: 'rejected',
        status: 404,
        message:
          'CoinGecko refused the request (HTTP 404): Incorrect path. Please check https://www.coingecko.com/api/',
      });
      const server = await replay(rec);
      close = server.close;
      const clock = new ManualClock(Date.parse('2022-04-26T15:52:46Z'));
      const source = new CoinGeckoSource({
        baseUrl: `${server.url}/api/v3`,
        plan: 'demo',
        apiKey: 'CG-k',
        clock,
        network: new Network(clock),
      });
      await expect(
        source.fetchWindow({
          symbol: 'bitcoin/usd',
          timeframe: '1d',
          from: Date.parse('2022-03-01T00:00:00Z'),
          to: Date.parse('2022-04-01T00:00:00Z'),
        }),
      ).rejects.toThrow(
        'CoinGecko refused the request (HTTP 404): Incorrect path. Please check https://www.coingecko.com/api/',
      );
      expect(server.paths).toEqual([
        '/api/v3/coins/bitcoin/market_chart/range?vs_currency=usd&from=1646092800&to=1648771199&precision=full',
      ]);
    });
  },
);

describe('coingecko documented shapes', () => {
  it('/ohlc (docs example): close-time stamps become open times, numbers kept, volume null', () => {
    const body = '[[1709395200000,61942,62211,61721,61845],[1709409600000,61828,62139,61726,62139]]';
    expect(parseOhlc(body, FOUR_HOURS)).toEqual([
      { ts: 1709395200000 - FOUR_HOURS, open: 61942, high: 62211, low: 61721, close: 61845, volume: null },
      { ts: 1709409600000 - FOUR_HOURS, open: 61828, high: 62139, low: 61726, close: 62139, volume: null },
    ]);
  });

  it('/ohlc rows closer than the expected candle size are malformed; a last row off the grid is the forming candle', () => {
    expect(() =>
      parseOhlc('[[1709395200000,1,1,1,1],[1709397000000,1,1,1,1],[1709398800000,1,1,1,1]]', FOUR_HOURS),
    ).toThrow(
      'CoinGecko sent a malformed ohlc response: rows 0 and 1 close 1800000 ms apart, not a multiple of 14400000',
    );
    expect(parseOhlc('[[1709395200000,1,2,0.5,1.5],[1709400123000,1,1,1,1]]', FOUR_HOURS)).toEqual([
      { ts: 1709380800000, open: 1, high: 2, low: 0.5, close: 1.5, volume: null },
    ]);
    expect(() => parseOhlc('[[1709395200000,"61942",1,1,1]]', FOUR_HOURS)).toThrow(SourceError);
  });

  it('/market_chart/range: daily candles from prices only; total_volumes (rolling 24h) never becomes volume', () => {
    const chart = parseMarketChart(
      JSON.stringify({
        prices: [
          [1711843200000, 69702.3],
          [1711846853000, 69900.1],
          [1711929599000, 70100.5],
          [1711933200000, 70300],
        ],
        market_caps: [
          [1711843200000, 1.37e12],
          [1711846853000, 1.38e12],
          [1711929599000, 1.38e12],
          [1711933200000, 1.38e12],
        ],
        total_volumes: [
          [1711843200000, 16408802301.84],
          [1711846853000, 16400000000],
          [1711929599000, 17e9],
          [1711933200000, 17e9],
        ],
      }),
    );
    expect(chart.totalVolumes[0]).toEqual([1711843200000, 16408802301.84]);
    expect(dailyCandles(chart.prices)).toEqual([
      { ts: 1711843200000, open: 69702.3, high: 70100.5, low: 69702.3, close: 70100.5, volume: null },
      { ts: 1711929600000, open: 70300, high: 70300, low: 70300, close: 70300, volume: null },
    ]);
  });

  it('error bodies in each reported shape become one line with the code, and what to retry', () => {
    // 429 logged from a real response (nimblehq/jetpack-compose-crypto#45), with retry-after 119.
    const limited = coingeckoError(
      429,
      '{"status":{"error_code":429,"error_message":"You\'ve exceeded the Rate Limit. Please visit https://www.coingecko.com/en/api/pricing to subscribe to our API plans for higher rate limits."}}',
      '119',
    );
    expect(limited).toMatchObject({ kind: 'rate_limited', retryAfterSec: 119 });
    // The demo plan's history limit (SixPM-Software/waxtax#8).
    const old = coingeckoError(
      401,
      '{"error":{"status":{"timestamp":"2024-04-20T22:00:05.123+00:00","error_code":10012,"error_message":"Your request exceeds the allowed time range. Public API users are limited to querying historical data within the past 365 days. "}}}',
      undefined,
    );
    expect(old).toMatchObject({
      kind: 'rejected',
      message:
        'CoinGecko refused the request (HTTP 401): Your request exceeds the allowed time range. Public API users are limited to querying historical data within the past 365 days. (error 10012)',
    });
    // Cloudflare sometimes answers 429 with an HTML page (Philipinho/CoinGecko-Java#27).
    expect(
      coingeckoError(429, '<html><body><h1>Error 1015</h1> You are being rate limited</body></html>', undefined)
        .message,
    ).toBe('CoinGecko rate limit (HTTP 429): Error 1015 You are being rate limited');
    expect(coingeckoError(503, '', undefined)).toMatchObject({
      kind: 'unavailable',
      message: 'CoinGecko server error (HTTP 503): HTTP 503',
    });
    expect(coingeckoError(401, '{"error":"key CG-abc is not valid"}', undefined, 'CG-abc').message).toBe(
      'CoinGecko refused the request (HTTP 401): key *** is not valid',
    );
  });
});
