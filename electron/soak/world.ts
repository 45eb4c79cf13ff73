/**
 * The soak's world: the simulator and one engine on a shared manual clock, in this process, over real
 * loopback HTTP and a real SQLite file. The engine can be stopped and a new one started on the same
 * file, as a restarted daemon would be (new Store, new Network, new sources).
 */
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import { ManualClock } from '../net/clock.js';
import { Network, type NetworkListeners } from '../net/network.js';
import { Engine } from '../engine/engine.js';
import { Store } from '../store/store.js';
import { BinanceSource } from '../sources/binance.js';
import { CcxtSource } from '../sources/ccxt.js';
import { CoinGeckoSource } from '../sources/coingecko.js';
import { YahooSource } from '../sources/yahoo.js';
import type { Source } from '../sources/source.js';

/**
 * Request timeout, in wall-clock ms. HTTP timeouts run on the wall clock (http-client.ts) while the
 * manual clock stands still until every request has landed, so a hung request costs this much real
 * time and no simulated time. Loopback answers take a few ms (a slow body under 100); 300 ms leaves room for a busy machine.
 */
export const SOAK_TIMEOUT_MS = 300;
/** Equivalent hosts (ports) the simulator serves; Binance and Yahoo use them all. */
export const SOAK_HOSTS = 2;

export interface EngineInstance {
  store: Store;
  network: Network;
  engine: Engine;
}

export interface World {
  sim: Simulator;
  clock: ManualClock;
  dbFile: string;
  current: EngineInstance;
  /** Start an engine on the database file (a new Store, Network and sources each time). */
  startEngine(): Promise<EngineInstance>;
  stopEngine(): Promise<void>;
  close(): Promise<void>;
}

export interface WorldOptions {
  seed: number;
  start: number;
  faults: string;
  dbFile: string;
  listeners: NetworkListeners;
  /** Wraps every source the engine asks for (the metrics count its window fetches). */
  wrapSource: (source: Source) => Source;
  /** Called with each store before its engine starts, and before it is closed. */
  storeOpened?: (store: Store) => void;
  storeClosing?: (store: Store) => void;
}

function sourceFactory(sim: Simulator, clock: ManualClock, network: Network): (id: string) => Source {
  const timeoutMs = SOAK_TIMEOUT_MS;
  return (id) => {
    switch (id) {
      case 'binance':
        return new BinanceSource({ hosts: sim.urls.map((u) => `${u}/binance`), clock, network, timeoutMs });
      case 'coingecko':
        return new CoinGeckoSource({
          baseUrl: `${sim.url}/coingecko/api/v3`,
          plan: 'keyless',
          clock,
          network,
          timeoutMs,
        });
      case 'yahoo':
        return new YahooSource({ hosts: sim.urls.map((u) => `${u}/yahoo`), clock, network, timeoutMs });
      case 'ccxt:binance':
        return new CcxtSource({
          exchangeId: 'binance',
          clock,
          network,
          timeoutMs,
          config: { urls: { api: { public: `${sim.url}/binance/api/v3` } }, options: { fetchMarkets: ['spot'] } },
        });
      default:
        throw new Error(`the soak has no source ${id}`);
    }
  };
}

export async function createWorld(options: WorldOptions): Promise<World> {
  const clock = new ManualClock(options.start);
  // The simulator stands in for remote servers: its caches of generated candles would grow with the
  // simulated days and hide what the engine's own memory does, so they are kept small.
  const sim = await startSimulator({
    seed: options.seed,
    clock,
    hosts: SOAK_HOSTS,
    faults: options.faults,
    cacheLimits: { days: 3, rows: 5_000, pageBytes: 1024 * 1024 },
  });
  let current: EngineInstance | null = null;
  const world: World = {
    sim,
    clock,
    dbFile: options.dbFile,
    get current(): EngineInstance {
      if (!current) throw new Error('no engine is running');
      return current;
    },
    async startEngine() {
      const store = Store.open(options.dbFile);
      options.storeOpened?.(store);
      const network = new Network(clock, options.listeners);
      // The request log and its history buckets, as a running Candlekeep keeps them (runtime.ts).
      network.listen({ onRequest: (o) => store.requests.add(o) });
      const create = sourceFactory(sim, clock, network);
      const sources = new Map<string, Source>();
      const sourceFor = (id: string): Source => {
        let source = sources.get(id);
        if (!source) sources.set(id, (source = options.wrapSource(create(id))));
        return source;
      };
      const engine = new Engine({ store, clock, network, sourceFor });
      await engine.start();
      current = { store, network, engine };
      return current;
    },
    async stopEngine() {
      if (!current) return;
      const { engine, network, store } = current;
      current = null;
      await engine.stop();
      network.stop();
      options.storeClosing?.(store);
      store.close();
    },
    async close() {
      await world.stopEngine();
      await sim.close();
    },
  };
  return world;
}
