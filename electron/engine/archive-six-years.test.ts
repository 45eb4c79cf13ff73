/**
 * The bar for archives: six years of BTCUSDT 1m (3.1 million candles) backfilled from the
 * simulator's archives store exactly the truth, with a small fraction of the REST requests; the
 * defective files on the way (one forced of each kind, plus the seed's own) come over REST.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import { ManualClock } from './clock.js';
import { Store } from '../store/store.js';
import { BinanceSource } from '../sources/binance.js';
import { bulkHistoryFor } from '../sources/bulk-registry.js';
import { Network } from './network.js';
import { backfill } from './backfill.js';
import { tempDbPath } from '../test-support/temp-db.js';
import { truthCandles } from '../test-support/truth.js';
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

  it('stores exactly the truth, with missing and corrupt months fetched over REST, in a tenth of the requests', async () => {
    sim.archive.force('data/spot/monthly/klines/BTCUSDT/1m/BTCUSDT-1m-2020-02.zip', 'missing');
    sim.archive.force('data/spot/monthly/klines/BTCUSDT/1m/BTCUSDT-1m-2023-07.zip', 'corrupt');
    const defective = sim.archive.defects('BTCUSDT', '1m', FROM, TO).filter((d) => d.granularity === 'monthly');
    const source = new BinanceSource({ hosts: [`${sim.url}/binance`], clock, network: new Network(clock) });
    const archives = bulkHistoryFor(source, { store, clock, env: { CANDLEKEEP_BINANCE_DATA_URL: `${sim.url}/binance-data` } })!;

    const summary = await backfill({ store, source, clock, bulk: archives }, { key: { source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, from: FROM, to: TO });

    const report = archives.lastReport!;
    expect(report.plan.archives).toHaveLength(72);
    expect(report.fellBack.map((f) => f.file).sort()).toEqual(defective.map((d) => d.path.split('/').pop()).sort());
    expect(report.imported).toHaveLength(72 - defective.length);
    // Month by month, so neither side of the comparison holds six years at once.
    for (let m = FROM; m < TO; m = Date.UTC(new Date(m).getUTCFullYear(), new Date(m).getUTCMonth() + 1, 1)) {
      const end = Date.UTC(new Date(m).getUTCFullYear(), new Date(m).getUTCMonth() + 1, 1);
      expectSameCandles(store.candles.range(summary.seriesId, m, end), truthCandles(sim, 'BTCUSDT', m, end));
    }
    expect(summary.holes.every((h) => h.state === 'confirmed_empty')).toBe(true);
    expect(summary.requests).toBeLessThan(report.plan.restOnlyRequests / 10);
  });
});
