/**
 * What a soak measures while it runs: every request the engine sends (from the network's request
 * hook), every request the simulator saw (its log, drained each step so it cannot grow for a week),
 * every window fetch and whether it ever succeeded, every hole the ledger ever held, memory and the
 * event loop's delay. Everything kept is a counter or as large as the ledger's history of holes.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { RequestOutcome } from '../net/source-http.js';
import type { NetworkListeners } from '../net/network.js';
import type { Source, WindowRequest } from '../sources/source.js';
import type { Simulator } from '../simulator/simulator.js';
import type { Store } from '../store/store.js';
import { LatencyHistogram } from './latency-histogram.js';
import { drainLedger, type WrittenHole } from './ledger-watch.js';

/** Counts of what the simulator answered, from its request log. */
export interface SimulatorCounts {
  requests: number;
  refused: number;
  rateLimited: number;
  banned: number;
  /** Requests answered 429 during the scripted storm. */
  stormRateLimited: number;
  /** Connections and requests refused while every host was down at the start. */
  refusedAtStart: number;
}

const MB = 1024 * 1024;

/**
 * RSS once a full garbage collection has run. A sample taken wherever the collector happens to be
 * swings by tens of MB on the same live data (in one 7-day soak the JS heap's size alone went between
 * 101 and 130 MB from one sample to the next), so the end-to-day-1 ratio would measure the
 * collector's timing rather than memory kept. Every sample is taken the same way.
 */
function rssMb(): number {
  collectGarbage();
  return Math.round((process.memoryUsage().rss / MB) * 10) / 10;
}

let gc: (() => void) | null = null;
function collectGarbage(): void {
  if (!gc) {
    // The flag exposes `gc` to contexts made after it is set: one made for this, never to our code.
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

export class SoakMetrics {
  requests = 0;
  requestsOk = 0;
  weight = 0;
  bannedOutcomes = 0;
  /** Requests by source and outcome ('binance ok': 1234), to show where requests went. */
  readonly outcomes = new Map<string, number>();
  readonly latency = new LatencyHistogram();
  windowFetches = 0;
  windowsSucceeded = 0;
  /** Window fetches that have not succeeded yet, by source, series and range (retries ask the same). */
  private readonly pendingWindows = new Set<string>();
  readonly sim: SimulatorCounts = {
    requests: 0,
    refused: 0,
    rateLimited: 0,
    banned: 0,
    stormRateLimited: 0,
    refusedAtStart: 0,
  };
  /** Holes ever seen open, and ever seen settled (confirmed empty, market closed), by range. */
  readonly openHoles = new Map<string, WrittenHole>();
  readonly settledHoles = new Map<string, WrittenHole>();
  rssStartMb = 0;
  rssDay1Mb = 0;
  rssEndMb = 0;
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private simSeq = 0;
  private simRefused = 0;

  readonly listeners: NetworkListeners = {
    onRequest: (o: RequestOutcome) => {
      this.requests++;
      this.weight += o.weight;
      if (o.outcome === 'ok') this.requestsOk++;
      const key = `${o.source} ${o.outcome}`;
      this.outcomes.set(key, (this.outcomes.get(key) ?? 0) + 1);
      if (o.outcome === 'banned') this.bannedOutcomes++;
      if (o.status !== null) this.latency.add(o.durationMs);
    },
  };

  start(): void {
    this.rssStartMb = rssMb();
    this.loop.enable();
  }

  markDay1(): void {
    this.rssDay1Mb = rssMb();
  }

  finish(): void {
    this.loop.disable(); // the collection below is the soak's own doing, not the engine's delay
    this.rssEndMb = rssMb();
  }

  get eventLoopP99Ms(): number {
    return Math.round((this.loop.percentile(99) / 1e6) * 10) / 10;
  }

  /** The source, counting each window fetch and whether it (or a retry of the same window) succeeded. */
  wrapSource(source: Source): Source {
    const fetchWindow = async (request: WindowRequest, signal?: AbortSignal) => {
      const key = `${source.id} ${request.symbol} ${request.timeframe} ${request.from} ${request.to}`;
      if (!this.pendingWindows.has(key)) {
        this.windowFetches++;
        this.pendingWindows.add(key);
      }
      const result = await source.fetchWindow(request, signal);
      if (this.pendingWindows.delete(key)) this.windowsSucceeded++;
      return result;
    };
    return {
      id: source.id,
      capabilities: source.capabilities,
      normalizeSymbol: (symbol) => source.normalizeSymbol(symbol),
      listInstruments: (search) => source.listInstruments(search),
      windows: (timeframe, from, to) => source.windows(timeframe, from, to),
      fetchWindow,
    };
  }

  /** Drain the simulator's request log. `storm` and `startOutage` say which scripted event is on. */
  readSimulatorLog(sim: Simulator, during: { storm: boolean; startOutage: boolean }): void {
    const refused = sim.refused - this.simRefused;
    this.simRefused = sim.refused;
    this.sim.refused += refused;
    if (during.startOutage) this.sim.refusedAtStart += refused;
    for (const e of sim.log.since(this.simSeq)) {
      this.simSeq = e.seq;
      if (e.path.startsWith('/_sim/')) continue;
      this.sim.requests++;
      if (e.status === 429) {
        this.sim.rateLimited++;
        if (during.storm) this.sim.stormRateLimited++;
      }
      if (e.status === 418) this.sim.banned++;
    }
    sim.log.clear();
  }

  /** Note every hole written since the last look (see ledger-watch.ts). */
  readLedger(store: Store): void {
    for (const h of drainLedger(store)) {
      const key = `${h.seriesId} ${h.from} ${h.to}`;
      const seen = h.state === 'open' ? this.openHoles : this.settledHoles;
      if (!seen.has(key)) seen.set(key, h);
    }
  }
}
