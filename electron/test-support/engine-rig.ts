/** An engine wired to an in-process simulator on one manual clock, for time-travel tests. */
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator/simulator.js';
import { ManualClock } from '../net/clock.js';
import { Network } from '../net/network.js';
import { Store } from '../store/store.js';
import { BinanceSource } from '../sources/binance.js';
import { Engine, type EngineConfig } from '../engine/engine.js';
import { EventBus } from '../../shared/event-bus.js';
import { tempDbPath } from './temp-db.js';
import { bulkHistoryFor } from '../engine/bulk-registry.js';
import { BINANCE_STREAM_LIMITS, BinanceKlineStreams } from '../sources/binance-streams.js';
import { CcxtSource, ccxtProExchange } from '../sources/ccxt.js';
import { CcxtKlineStream } from '../sources/ccxt-kline-stream.js';
import type { Source } from '../sources/source.js';
import type { KlineStream, KlineStreamHandlers } from '../sources/kline-stream.js';
import type { SeriesOwnership } from '../engine/series-ownership.js';

export interface EngineRig {
  sim: Simulator;
  clock: ManualClock;
  network: Network;
  store: Store;
  engine: Engine;
  events: EventBus;
  dbFile: string;
  /** Advance simulated time in steps, letting the engine finish what each step makes due. */
  run(ms: number, stepMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const TEST_RETRY = { maxAttempts: 10, baseDelayMs: 1_000, maxDelayMs: 20_000, maxTotalMs: 30 * 60_000 };

export async function engineRig(
  start: number,
  sim: SimulatorOptions = {},
  config: Partial<EngineConfig> = {},
  options: {
    archives?: boolean;
    streams?: boolean;
    /** ccxt:binance's stream trusts Binance's closing flag (default) or the later-candle rule alone. */
    ccxtClosingFlags?: boolean;
    /** Which series this engine works (a fleet collector's leases); all when absent. */
    ownership?: SeriesOwnership;
  } = {},
): Promise<EngineRig> {
  const clock = new ManualClock(start);
  const simulator = await startSimulator({ seed: 5, ...sim, clock });
  const network = new Network(clock);
  const db = tempDbPath();
  const store = Store.open(db.file);
  const events = new EventBus();
  // ccxt's binance client pointed at the simulator: only its URLs and market types are changed.
  const ccxtConfig = {
    urls: {
      api: {
        public: `${simulator.url}/binance/api/v3`,
        ws: { spot: `${simulator.url.replace('http', 'ws')}/binance/ws` },
      },
    },
    options: { fetchMarkets: ['spot'] },
  };
  const sourceFor = (id: string): Source =>
    id === 'ccxt:binance'
      ? new CcxtSource({ exchangeId: 'binance', config: ccxtConfig, clock, network, timeoutMs: 2_000 })
      : new BinanceSource({ hosts: [`${simulator.url}/binance`], clock, network, timeoutMs: 2_000 });
  const streamFor = (sourceId: string, handlers: KlineStreamHandlers): KlineStream | undefined => {
    if (sourceId === 'binance')
      return new BinanceKlineStreams({
        url: `${simulator.url.replace('http', 'ws')}/binance`,
        clock,
        network,
        handlers,
      });
    if (sourceId !== 'ccxt:binance') return undefined;
    return new CcxtKlineStream({
      exchangeId: 'binance',
      exchange: ccxtProExchange('binance', { network, config: ccxtConfig, timeoutMs: 2_000 })!,
      clock,
      connectBudget: network.budgets.get('binance:stream-connections', BINANCE_STREAM_LIMITS.connections),
      handlers,
      closingFlags: options.ccxtClosingFlags,
    });
  };
  const engine = new Engine({
    store,
    clock,
    network,
    events,
    sourceFor,
    bulkFor: options.archives
      ? (source) =>
          bulkHistoryFor(source, {
            store,
            clock,
            env: {
              CANDLEKEEP_BINANCE_URL: `${simulator.url}/binance`,
              CANDLEKEEP_BINANCE_DATA_URL: `${simulator.url}/binance-data`,
            },
          })
      : undefined,
    config: { retry: TEST_RETRY, ...config },
    ownership: options.ownership,
    streamFor: options.streams ? streamFor : undefined,
  });
  // Stream messages travel on their own sockets: each step lets what the simulator sent arrive
  // before the engine is asked whether it is idle (HTTP requests it tracks itself).
  const settle = async (): Promise<void> => {
    if (!options.streams) return;
    await simulator.streams.flushed();
    await new Promise((r) => setTimeout(r, 3));
  };
  return {
    sim: simulator,
    clock,
    network,
    store,
    engine,
    events,
    dbFile: db.file,
    async run(ms, stepMs = 60_000) {
      await settle();
      await engine.whenIdle();
      for (let t = 0; t < ms; t += stepMs) {
        await clock.advance(Math.min(stepMs, ms - t));
        await settle();
        await engine.whenIdle();
      }
    },
    async close() {
      await engine.stop();
      network.stop();
      store.close();
      db.cleanup();
      await simulator.close();
    },
  };
}
