/**
 * Samples health over time once a minute of the engine's clock (series completeness and lag, breaker
 * states, holes that closed) and prunes the history tables past their retention, a batch at a time
 * with a yield between batches so a long backlog never blocks the event loop.
 */
import type { Clock } from '../net/clock.js';
import type { Store } from '../store/store.js';
import type { HealthService } from './health-service.js';
import type { Network } from '../net/network.js';
import { timeframeMs } from '../../shared/timeframe.js';
import { PRUNE_BATCH } from '../store/history-store.js';
import type { Logger } from '../logging/logger.js';

export const SAMPLE_INTERVAL_MS = 60_000;

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class HistorySampler {
  private stopController = new AbortController();
  private loop: Promise<void> | null = null;

  constructor(
    private readonly store: Store,
    private readonly health: HealthService,
    private readonly network: Network,
    private readonly clock: Clock,
    private readonly log?: Pick<Logger, 'warn'>,
  ) {}

  /** One sample and a full prune, batch by batch. */
  async tick(): Promise<void> {
    // A quiet source's last few requests reach their minute bucket now, not after 50 more requests.
    this.store.requests.flush();
    this.sample();
    while (this.store.history.prune(this.clock.now()) >= PRUNE_BATCH) await yieldToLoop();
  }

  /** Each series' completeness and lag now, the breakers' states, and the logged holes that closed. */
  sample(): void {
    const now = this.clock.now();
    for (const s of this.health.seriesViews()) {
      if (!s.enabled) continue;
      // Behind the live edge, not behind the wall: a market's closed hours are no lag (freshness knows them).
      this.store.history.sampleSeries(s.id, now, s.completeness, s.freshness.candlesBehind * timeframeMs(s.timeframe));
    }
    for (const n of this.network.snapshot()) this.store.history.noteBreaker(n.source, now, n.breaker.kind);
    this.store.history.closeHoles(now);
  }

  start(): void {
    this.stopController = new AbortController();
    const signal = this.stopController.signal;
    this.loop = (async () => {
      while (!signal.aborted) {
        try {
          await this.tick();
        } catch (err) {
          // A failed sample (e.g. the database closing under it) must not end the loop.
          this.log?.warn(`sampling health history failed: ${(err as Error).message}`);
        }
        await this.clock.sleep(SAMPLE_INTERVAL_MS, signal);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopController.abort();
    await this.loop;
  }
}
