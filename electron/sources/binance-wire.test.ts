/** The recorded Binance klines and error responses (../shared/fixtures/binance) through binance-wire.ts. */
import { describe, expect, it } from 'vitest';
import { FIXTURES_MISSING, recorded } from '../test-support/fixtures.js';
import { binanceError, parseKlines } from './binance-wire.js';

describe.skipIf(FIXTURES_MISSING)(
  `binance recorded responses${FIXTURES_MISSING ? ` (${FIXTURES_MISSING})` : ''}`,
  () => {
    it('klines with startTime/endTime/limit=2: the two 1m candles exactly, strings parsed as decimals', () => {
      const rec = recorded('binance', 'exbinance_klines_starttime_endtime_limit2.json');
      expect(rec.status).toBe(200);
      expect(parseKlines(rec.body)).toEqual([
        {
          ts: 1624438800000,
          open: 33800,
          high: 33800,
          low: 33666.01,
          close: 33784.38,
          volume: 0.64906,
          closeTime: 1624438859999,
        },
        {
          ts: 1624438860000,
          open: 33789.26,
          high: 33845.4,
          low: 33785.58,
          close: 33845.4,
          volume: 0.488792,
          closeTime: 1624438919999,
        },
      ]);
    });

    it('klines with no limit: the default 500 consecutive minutes, each closing 1 ms before the next opens', () => {
      const rec = recorded('binance', 'exbinance_klines_default_limit500.json');
      const klines = parseKlines(rec.body);
      expect(klines).toHaveLength(500);
      expect(klines[0]).toEqual({
        ts: 1624529580000,
        open: 33334.78,
        high: 33336.52,
        low: 33325.49,
        close: 33336.52,
        volume: 0.307316,
        closeTime: 1624529639999,
      });
      expect(klines[499]).toEqual({
        ts: 1624559520000,
        open: 34970.9,
        high: 35040.01,
        low: 34800.01,
        close: 35040.01,
        volume: 0.376674,
        closeTime: 1624559579999,
      });
      klines.forEach((k, i) => {
        expect(k.closeTime).toBe(k.ts + 59_999);
        if (i) expect(k.ts - klines[i - 1]!.ts).toBe(60_000);
      });
    });

    it('HTTP 400 {"code":-1121}: a rejected error carrying Binance\'s own message', () => {
      const rec = recorded('binance', 'exbinance_depth_error_invalid_symbol_400.json');
      expect(rec.headers['x-mbx-used-weight-1m']).toBe('22');
      const err = binanceError(rec.status, rec.body, rec.headers['retry-after']);
      expect(err).toMatchObject({
        kind: 'rejected',
        status: 400,
        message: 'Binance refused the request: Invalid symbol. (code -1121)',
      });
    });
  },
);
