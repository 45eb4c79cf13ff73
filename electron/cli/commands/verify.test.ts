/** `candlekeep verify` in-process against a real database file: every kind of finding, and a clean ledger. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { captureIo } from '../../test-support/cli-io.js';
import { tempDbPath } from '../../test-support/temp-db.js';
import { Store } from '../../store/store.js';
import { unlookedHole } from '../../engine/hole-ledger.js';
import type { Candle, Series } from '../../../shared/domain.js';

const M = 60_000;
/** Far enough back that the whole series lies before the live edge. */
const T0 = Date.parse('2024-01-01T00:00:00Z');

const candle = (ts: number): Candle => ({ ts, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3 });

describe('candlekeep verify', () => {
  let db: { file: string; cleanup: () => void };
  let series: Series;

  /** A 1m series from T0: candles for minutes 0-9 and 20-29; minutes 10-19 are for each test to account for. */
  beforeEach(() => {
    db = tempDbPath();
    const store = Store.open(db.file);
    series = store.series.ensure({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, T0, T0);
    const minutes = [...Array(10).keys(), ...Array.from({ length: 10 }, (_, i) => 20 + i)];
    store.candles.upsert(
      series.id,
      minutes.map((m) => candle(T0 + m * M)),
    );
    store.close();
  });
  afterEach(() => db.cleanup());

  const withStore = (change: (store: Store) => void): void => {
    const store = Store.open(db.file);
    change(store);
    store.close();
  };
  const verify = async (...args: string[]) => {
    const { io, out, err } = captureIo({});
    const code = await main(['verify', '--db', db.file, ...args], io);
    return { code, out: out(), err: err() };
  };

  it('a range neither stored nor in the ledger: exit 1, the range named', async () => {
    const result = await verify();
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      'unaccounted   2024-01-01T00:10:00Z .. 2024-01-01T00:20:00Z  binance BTCUSDT 1m: 10 candle(s)',
    );
    const json = await verify('--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toEqual({
      series: 1,
      findings: [
        expect.objectContaining({ seriesId: series.id, kind: 'unaccounted', from: T0 + 10 * M, to: T0 + 20 * M }),
      ],
    });
  });

  it('the same range as an open hole: clean, exit 0', async () => {
    withStore((store) =>
      store.holes.replace(
        series.id,
        [],
        [unlookedHole({ from: T0 + 10 * M, to: T0 + 20 * M }, 'fetch_failed', T0, 'HTTP 503')],
        T0,
      ),
    );
    const result = await verify('--series', 'binance:BTCUSDT:1m');
    expect(result.code, result.out).toBe(0);
    expect(result.out).toContain('verified 1 series: every range is stored or in the ledger');
  });

  it('overlapping ledger entries and an entry over stored candles are findings', async () => {
    withStore((store) =>
      store.holes.replace(
        series.id,
        [],
        [
          unlookedHole({ from: T0 + 10 * M, to: T0 + 20 * M }, 'fetch_failed', T0),
          unlookedHole({ from: T0 + 15 * M, to: T0 + 25 * M }, 'missing', T0),
        ],
        T0,
      ),
    );
    const result = await verify('--json');
    expect(result.code).toBe(1);
    const kinds = (
      JSON.parse(result.out) as { findings: Array<{ kind: string; from: number; to: number }> }
    ).findings.map((f) => [f.kind, f.from, f.to]);
    expect(kinds).toEqual([
      ['overlap', T0 + 15 * M, T0 + 20 * M],
      ['contradiction', T0 + 15 * M, T0 + 25 * M],
    ]);
  });

  it('an unknown series is a usage error', async () => {
    const result = await verify('--series', 'binance:NOPE:1m');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/no series 'binance:NOPE:1m'/);
  });
});
