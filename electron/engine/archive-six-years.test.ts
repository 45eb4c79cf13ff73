/**
 * The bar for archives: six years of BTCUSDT 1m (3.1 million candles) backfilled from the
 * simulator's archives store exactly the truth, with a small fraction of the REST requests; the
 * defective files on the way (one forced of each kind, plus the seed's own) come over REST.
 * It takes ~50 s on a 2-core machine (30 s of backfill, most of the rest reading 3.1M rows back to
 * compare): the longest test of the suite, kept in it because it is the archive path at full size.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import { ManualClock } from '../net/clock.js';
import { Store } from '../store/store.js';
import { BinanceSource } from '../sources/binance.js';
import { bulkHistoryFor } from './bulk-registry.js';
import { Network } from '../net/network.js';
import { backfill } from './backfill.js';
import { verifyStore } from './ledger-verify.js';
import { tempDbPath } from '../test-support/temp-db.js';
import { truthCandles } from '../test-support/truth.js';
import { truthCandlesFast } from '../test-support/truth-fast.js';
import type { LoggedRequest } from '../simulator/request-log.js';
import { expectSameCandles } from '../test-support/same-candles.js';

const NOW = Date.parse('2025-06-03T10:00:00Z');
const FROM = Date.UTC(2019, 5, 1);
const TO = Date.UTC(2025, 5, 1);

describe('a six-year 1m backfill from archives', () => {
  let sim: Simulator;
  let store: Store;
  let cleanup: () => void;
  const clock = new ManualClock(NOW);

  beforeAll(async () => {
    sim = await startSimulator({ seed: 7, clock });
    const db = tempDbPath();
    cleanup = db.cleanup;
    store = Store.open(db.file);
  });
  afterAll(async () => {
    store.close();
    cleanup();
    await sim.close();
  });

  it('stores exactly the truth, with missing and corrupt months fetched over REST, and REST only where archives could not serve', async () => {
    sim.archive.force('data/spot/monthly/klines/BTCUSDT/1m/BTCUSDT-1m-2020-02.zip', 'missing');
    sim.archive.force('data/spot/monthly/klines/BTCUSDT/1m/BTCUSDT-1m-2023-07.zip', 'corrupt');
    const defective = sim.archive.defects('BTCUSDT', '1m', FROM, TO).filter((d) => d.granularity === 'monthly');
    const source = new BinanceSource({ hosts: [`${sim.url}/binance`], clock, network: new Network(clock) });
    const archives = bulkHistoryFor(source, {
      store,
      clock,
      env: { CANDLEKEEP_BINANCE_DATA_URL: `${sim.url}/binance-data` },
    })!;

    const started = performance.now();
    const summary = await backfill(
      { store, source, clock, bulk: archives },
      { key: { source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, from: FROM, to: TO },
    );

    console.log(
      `six-year backfill: ${((performance.now() - started) / 1000).toFixed(1)} s, ${summary.requests} REST requests`,
    );
    const verifyStarted = performance.now();
    const report = archives.lastReport!;
    expect(report.plan.archives).toHaveLength(72);
    expect(report.fellBack.map((f) => f.file).sort()).toEqual(defective.map((d) => d.path.split('/').pop()).sort());
    expect(report.imported).toHaveLength(72 - defective.length);
    // The fast truth is the wire-parsed truth (checked on one month), compared month by month so
    // neither side holds six years at once.
    expectSameCandles(
      truthCandlesFast(sim, 'BTCUSDT', FROM, FROM + 86_400_000),
      truthCandles(sim, 'BTCUSDT', FROM, FROM + 86_400_000),
    );
    for (let m = FROM; m < TO; m = Date.UTC(new Date(m).getUTCFullYear(), new Date(m).getUTCMonth() + 1, 1)) {
      const end = Date.UTC(new Date(m).getUTCFullYear(), new Date(m).getUTCMonth() + 1, 1);
      expectSameCandles(store.candles.range(summary.seriesId, m, end), truthCandlesFast(sim, 'BTCUSDT', m, end));
    }
    console.log(`verified in ${((performance.now() - verifyStarted) / 1000).toFixed(1)} s`);
    // Every maintenance hole the archives showed has had its first look; the second comes later.
    const holes = sim.truth('binance', 'BTCUSDT').emptyWindows(FROM, TO);
    expect(summary.holes.map((h) => [h.fromTs, h.toTs, h.state, h.cause])).toEqual(
      holes.map((w) => [w.from, w.to, 'open', 'source_gap']),
    );
    expect(verifyStore(store, clock.now()).findings).toEqual([]);
    // REST was asked only for the months that fell back and the overlap day.
    const fellBack = defective.map((d) => ({ from: d.from, to: d.to }));
    const allowed = [...fellBack, report.plan.overlap!];
    const klines = sim.log.since().filter((e: LoggedRequest) => e.path.endsWith('/api/v3/klines'));
    expect(
      klines.filter((e) => !allowed.some((r) => Number(e.query.startTime) >= r.from && Number(e.query.endTime) < r.to)),
    ).toEqual([]);
    expect(summary.requests).toBe(klines.length);
    expect(summary.requests).toBeLessThan(report.plan.restOnlyRequests / 5);
  }, 240_000);
});
