/**
 * Rounds of the full gap sweep: every series this engine works on, searched for holes the ledger
 * does not know (gap-sweep.ts), which are then recorded and repaired. A round runs on the sweep cron
 * (the scheduler asks when it is due) or when asked, never two at once.
 */
import type { Store } from '../store/store.js';
import type { Clock } from '../net/clock.js';
import type { EventBus } from '../../shared/event-bus.js';
import type { Series } from '../../shared/domain.js';
import type { EngineState } from '../../shared/contract.js';
import type { JobRegistry } from './job-registry.js';
import { recordSweptGaps, sweepSeries } from './gap-sweep.js';
import { nextCronRun } from './next-wake.js';
import { recordEvent } from './events.js';

export interface SweepRoundDeps {
  store: Store;
  clock: Clock;
  events?: EventBus;
  /** Read at each reschedule (settings may change the cron). */
  config: { readonly sweepCron: string };
  jobs: JobRegistry;
  /** Whether this engine works on the series (in a fleet, whether it holds the lease). */
  owns(seriesId: number): boolean;
  state(): EngineState;
  /** Queue a repair of the series' due holes. */
  planRepairs(series: Series): boolean;
}

export class SweepRounds {
  private sweeping = false;
  private nextRoundAt = 0;

  constructor(private readonly deps: SweepRoundDeps) {}

  /** When the next round is due on the cron. */
  get nextAt(): number {
    return this.nextRoundAt;
  }

  /** The next round is the cron's next run after `now` (the engine started, a round began, the cron changed). */
  reschedule(now: number): void {
    this.nextRoundAt = nextCronRun(this.deps.config.sweepCron, now);
  }

  /** Sweep every series now, unless a round runs already; returns how many holes it found. */
  async run(): Promise<number> {
    if (this.sweeping) return 0;
    this.sweeping = true;
    try {
      return await this.sweepAll();
    } finally {
      this.sweeping = false;
    }
  }

  private async sweepAll(): Promise<number> {
    const { store } = this.deps;
    let found = 0;
    const now = this.deps.clock.now();
    for (const series of store.series.list()) {
      // History still being fetched is not a hole; it is swept once its backfill is done. Another
      // collector's series are its to sweep.
      if (this.deps.jobs.current(series.id, 'backfill') || !this.deps.owns(series.id)) continue;
      const gaps = await sweepSeries(store, series);
      if (this.deps.state() === 'stopped') break;
      if (gaps.length) store.candles.forgetTotal(series.id); // rows went missing behind our back
      if (!gaps.length) continue;
      found += gaps.length;
      recordSweptGaps(store, series, gaps, now);
      recordEvent(this.deps, {
        kind: 'repair',
        severity: 'warning',
        seriesId: series.id,
        source: series.source,
        message: `sweep found ${gaps.length} unrecorded hole(s) in ${series.symbol} ${series.timeframe}; repairing`,
      });
      if (series.enabled) this.deps.planRepairs(series);
    }
    return found;
  }
}
