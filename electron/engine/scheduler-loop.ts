/**
 * The engine's scheduler: one loop that plans every series, starts a sweep round when the cron says
 * so, then sleeps until the next tail, re-read, repair or sweep is due (next-wake.ts). It re-arms
 * itself from the injected clock each time, never with setInterval, and a tick that throws is
 * recorded and the loop goes on. Waking much later than it meant to (sleep, suspend, a clock change)
 * means time was missed, which the engine then catches up on.
 */
import type { Store } from '../store/store.js';
import type { Clock } from '../net/clock.js';
import type { EventBus } from '../../shared/event-bus.js';
import type { EngineState } from '../../shared/contract.js';
import type { JobRegistry } from './job-registry.js';
import type { SeriesBackoff } from './series-backoff.js';
import type { TailLooks } from './tail-looks.js';
import type { SweepRounds } from './sweep-rounds.js';
import type { TailTiming } from './series-planner.js';
import type { RevisionTiming } from './revisions.js';
import { nextWake } from './next-wake.js';
import { recordEvent } from './events.js';

export interface SchedulerLoopDeps {
  store: Store;
  clock: Clock;
  events?: EventBus;
  /** Read on every tick (the engine's own config). */
  config: { readonly tail: TailTiming; readonly revision: RevisionTiming };
  jobs: JobRegistry;
  backoff: SeriesBackoff;
  tailLooks: TailLooks;
  sweeps: SweepRounds;
  state(): EngineState;
  /** Plan every enabled series (the work of each tick). */
  planAll(): Promise<unknown>;
  /** The loop woke far later than it meant to: time was missed. */
  missedTime(reason: string): void;
}

export class SchedulerLoop {
  private wake: AbortController | null = null;
  private loop: Promise<void> | null = null;
  /** When the current sleep ends (Infinity while awake: the tick chooses its wake when it is done). */
  private sleepingUntil = Infinity;

  constructor(private readonly deps: SchedulerLoopDeps) {}

  /** Run the loop until `signal` aborts. */
  start(signal: AbortSignal): void {
    this.loop = this.run(signal);
  }

  /**
   * Cut the current sleep short and tick now: time was missed, the stop signal is to be seen, or a
   * series joined (added, resumed) that the wake being slept until was chosen without. That wake may
   * be the next sweep, up to an hour away, and the new series' tail would wait for it.
   */
  wakeNow(): void {
    this.wake?.abort();
  }

  /**
   * Something became due at `at` after the loop chose its wake (a tail that came back short looks
   * again a minute later): wake by then. The wake may be the next close of an hourly or daily series,
   * or the next sweep; ticking now lets the loop choose again, with this in view.
   */
  wakeBy(at: number): void {
    if (at < this.sleepingUntil) this.wakeNow();
  }

  /** Resolves when the loop has ended (its signal aborted, and woken). */
  async finished(): Promise<void> {
    await this.loop;
  }

  /** Forget the ended loop. */
  clear(): void {
    this.loop = null;
  }

  private async run(signal: AbortSignal): Promise<void> {
    const { clock, config, sweeps } = this.deps;
    let expected = clock.now();
    while (!signal.aborted) {
      const now = clock.now();
      const late = now - expected;
      if (late > Math.max(60_000, 3 * config.tail.delayMs + config.tail.jitterMs)) {
        this.deps.missedTime(`woke ${Math.round(late / 60_000)} min late (sleep, suspend or clock change)`);
      }
      try {
        if (this.deps.state() === 'running') {
          await this.deps.planAll();
          if (now >= sweeps.nextAt) {
            sweeps.reschedule(now);
            // Detached: a long sweep must not hold back the next tail.
            void sweeps
              .run()
              .catch((err: Error) =>
                recordEvent(this.deps, { kind: 'engine', severity: 'error', message: `sweep failed: ${err.message}` }),
              );
          }
        }
      } catch (err) {
        recordEvent(this.deps, {
          kind: 'engine',
          severity: 'error',
          message: `scheduler tick failed: ${(err as Error).message}`,
        });
      }
      const wakeAt = Math.max(
        clock.now() + 50,
        nextWake(
          {
            store: this.deps.store,
            tail: config.tail,
            revision: config.revision,
            backoff: this.deps.backoff,
            nextSweepAt: sweeps.nextAt,
            repairing: (id) => !!this.deps.jobs.current(id, 'repair'),
            tailAgainAt: (id) => this.deps.tailLooks.againAt(id, clock.now()),
          },
          clock.now(),
        ),
      );
      expected = wakeAt;
      this.wake = new AbortController();
      const wake = this.wake;
      const stop = (): void => wake.abort();
      signal.addEventListener('abort', stop, { once: true });
      this.sleepingUntil = wakeAt;
      await clock.sleep(wakeAt - clock.now(), wake.signal);
      this.sleepingUntil = Infinity;
      signal.removeEventListener('abort', stop);
      if (wake.signal.aborted) expected = clock.now();
    }
  }
}
