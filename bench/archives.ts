/**
 * A six-year 1m backfill of one symbol: from the simulator's monthly/daily archives (with the REST
 * tail, overlap check and second looks), against the same backfill over REST only, both under the
 * real Binance budget (6000 weight a minute) of the same simulator, in the same run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Store } from '../electron/store/store.js';
import { BinanceSource } from '../electron/sources/binance.js';
import { backfill } from '../electron/engine/backfill.js';
import { systemClock } from '../electron/net/clock.js';
import { Network } from '../electron/net/network.js';
import { bulkHistoryFor } from '../electron/engine/bulk-registry.js';
import { startSimProcess } from './sim-process.js';
import { compare, type Comparison } from './report.js';

const FROM = Date.parse('2019-06-01T00:00:00Z');
const TO = Date.parse('2025-06-01T00:00:00Z');
/** A round trip to the exchange and its CDN (api.binance.com answers in 100-250 ms from Europe or the US): loopback would hide what every request costs. */
const LATENCY_MS = Number(process.env.CANDLEKEEP_BENCH_LATENCY_MS ?? 100);

async function run(
  url: string,
  file: string,
  archives: boolean,
): Promise<{ seconds: number; candles: number; requests: number }> {
  const store = Store.open(file, { backgroundCheckpoints: true });
  const network = new Network(systemClock);
  const source = new BinanceSource({ hosts: [`${url}/binance`], clock: systemClock, network });
  const env = { CANDLEKEEP_BINANCE_URL: `${url}/binance`, CANDLEKEEP_BINANCE_DATA_URL: `${url}/binance-data` };
  const bulk = archives ? bulkHistoryFor(source, { store, clock: systemClock, env }) : undefined;
  const started = performance.now();
  const summary = await backfill(
    { store, source, clock: systemClock, bulk },
    { key: { source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, from: FROM, to: TO },
  );
  const seconds = (performance.now() - started) / 1000;
  network.stop();
  store.close();
  return { seconds, candles: summary.candlesStored, requests: summary.requests };
}

export async function benchArchives(): Promise<Comparison[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candlekeep-archives-'));
  try {
    // Two simulators, so the REST run does not inherit the budget the archive run spent (and vice versa).
    const simA = await startSimProcess(['--seed', '1', '--latency', String(LATENCY_MS)]);
    // Real archives exist before anyone downloads them: let the simulator build its zip files first.
    await run(simA.url, path.join(dir, 'warm.db'), true);
    const archives = await run(simA.url, path.join(dir, 'archives.db'), true).finally(() => simA.stop());
    const simR = await startSimProcess(['--seed', '1', '--latency', String(LATENCY_MS)]);
    const rest = await run(simR.url, path.join(dir, 'rest.db'), false).finally(() => simR.stop());
    if (archives.candles !== rest.candles)
      throw new Error(`archives stored ${archives.candles} candles, REST ${rest.candles}: not the same data`);
    const note = `${archives.candles.toLocaleString('en-US')} candles; ${archives.requests} vs ${rest.requests} API requests; ${LATENCY_MS} ms latency per request`;
    return [
      compare(
        'six-year 1m backfill',
        { unit: 's', value: archives.seconds },
        { name: 'the same backfill over REST only', unit: 's', value: rest.seconds },
        10,
        false,
        note,
      ),
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
