/**
 * A whole Candlekeep (the runtime `serve` and `daemon` use) keeping a ccxt:binance series pointed at
 * the simulator by the environment alone: its live tail comes over ccxt.pro's watchOHLCV and the
 * source tile shows the stream; with streams off (the CLI's --no-streams) no socket is opened and
 * the REST tail keeps the series instead.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import { createRuntime, type Runtime } from '../runtime.js';
import { FileSecretStore } from '../secrets/file-secret-store.js';
import { tempDir } from '../test-support/temp-db.js';
import { ScaledClock } from '../net/clock.js';
import { truthCandles } from '../test-support/truth.js';

const MINUTE = 60_000;
/** A minute of simulated time in 1.5 s: a few closes within a short test. */
const SCALE = 40;

let sim: Simulator;
let runtime: Runtime | null = null;
let dir: ReturnType<typeof tempDir>;
let clock: ScaledClock;
let start: number;

async function until(check: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeEach(async () => {
  dir = tempDir();
  start = Math.floor(Date.now() / MINUTE) * MINUTE - 2 * 3_600_000 + 50_000;
  clock = new ScaledClock(start, SCALE);
  sim = await startSimulator({ seed: 3, clock });
});

afterEach(async () => {
  await runtime?.close();
  runtime = null;
  await sim.close();
  dir.cleanup();
});

function keepCcxtBinance(extraEnv: Record<string, string> = {}): { seriesId: number } {
  runtime = createRuntime({
    dbPath: path.join(dir.dir, 'ccxt.db'),
    shell: 'node',
    clock,
    env: {
      CANDLEKEEP_CCXT_BINANCE_URL: `${sim.url}/binance/api/v3`,
      CANDLEKEEP_CCXT_BINANCE_WS_URL: `${sim.url.replace('http', 'ws')}/binance/ws`,
      CANDLEKEEP_CCXT_BINANCE_OPTIONS: '{"fetchMarkets":["spot"]}',
      ...extraEnv,
    },
    secrets: new FileSecretStore(path.join(dir.dir, 'secrets.json')),
  });
  const series = runtime.store.series.ensure(
    { source: 'ccxt:binance', symbol: 'BTC/USDT', timeframe: '1m' },
    start - 30 * MINUTE,
    start,
  );
  return { seriesId: series.id };
}

const tile = () => runtime!.health.sources().find((s) => s.source === 'ccxt:binance');
const sockets = () => sim.log.since().filter((e) => e.path.startsWith('/binance/ws') && e.method === 'GET');

describe('ccxt:binance live tail in a running Candlekeep', () => {
  it('streams from the URLs in the environment, and the source tile shows the stream', async () => {
    const { seriesId } = keepCcxtBinance();
    await runtime!.start();
    const startedAt = clock.now();
    // Two closes after the start, stored while the stream is live.
    await until(() => (runtime!.store.candles.lastBefore(seriesId, clock.now()) ?? 0) >= startedAt + MINUTE);
    expect(tile()?.stream).toMatchObject({ state: 'live', connections: 1, streams: 1 });
    expect(sockets()).toHaveLength(1);
    const last = runtime!.store.candles.lastBefore(seriesId, clock.now())!;
    expect(runtime!.store.candles.range(seriesId, last, last + 1)).toEqual(
      truthCandles(sim, 'BTCUSDT', last, last + MINUTE),
    );
  });

  it('opens no socket with streams off, and the REST tail keeps the series', async () => {
    const { seriesId } = keepCcxtBinance({ CANDLEKEEP_STREAMS: 'off' });
    await runtime!.start();
    const startedAt = clock.now();
    await until(() => (runtime!.store.candles.lastBefore(seriesId, clock.now()) ?? 0) >= startedAt + MINUTE);
    expect(tile()?.stream ?? null).toBeNull();
    expect(sockets()).toEqual([]);
  });
});
