/**
 * What moves a soak through its simulated days: the clock, stepped a simulated minute at a time (each
 * step waits until the engine has done everything the minute made due), and the scripted events of
 * schedule.ts applied as the clock reaches them.
 *
 * Settling: after the last day the clock keeps going a minute at a time, with no fault, until for
 * two steps in a row the ledger holds no open hole, no job is queued and every series is caught up
 * to its live edge (a series backing off after failures is not), for at least SETTLE_MIN_MS (a
 * second look at a hole comes 10 minutes after the first) and at most SETTLE_MAX_MS. The one-day-later
 * look at a freshly settled hole is not waited for.
 */
import type { Store } from '../store/store.js';
import { DEFAULT_TAIL_TIMING, afterSettled, liveEdge } from '../engine/series-planner.js';
import type { Series, SeriesKey } from '../../shared/domain.js';
import { HOUR_MS, MINUTE_MS, nextOpen } from '../../shared/timeframe.js';
import type { World } from './world.js';
import type { SoakEvent } from './schedule.js';
import type { SoakMetrics } from './metrics.js';

/** One step of the clock: a minute is the finest any series' candles close at. */
export const SOAK_STEP_MS = MINUTE_MS;
const SETTLE_MIN_MS = 15 * MINUTE_MS;
const SETTLE_MAX_MS = 6 * HOUR_MS;

/** A scripted event and the simulated moment it took effect. */
export type AppliedEvent = SoakEvent & { appliedAt: number };

/** The candle the scripted revision changed, and what the store held for it just before. */
export interface ScriptedRevision {
  key: SeriesKey;
  ts: number;
  before: { close: number; volume: number | null } | null;
  storedBeforeRevision: boolean;
}

/** Applies scripted events as the clock reaches them and steps the clock. */
export class SoakDriver {
  readonly applied: AppliedEvent[] = [];
  revision: ScriptedRevision | null = null;
  restarts = 0;
  private next = 0;
  private stormUntil = -Infinity;
  private startOutageUntil = -Infinity;

  constructor(
    private readonly world: World,
    private readonly metrics: SoakMetrics,
    private readonly schedule: SoakEvent[],
  ) {}

  private get ports(): string[] {
    return this.world.sim.urls.map((u) => new URL(u).port);
  }

  /** Apply the events due at offset `t` that need no engine (outages, storms, revisions). */
  apply(t: number): void {
    const { sim, clock } = this.world;
    while (
      this.next < this.schedule.length &&
      this.schedule[this.next]!.at <= t &&
      this.schedule[this.next]!.kind !== 'restart'
    ) {
      const event = this.schedule[this.next++]!;
      const now = clock.now();
      if (event.kind === 'outage_all') {
        for (const port of this.ports) sim.outage(port, event.durationMs);
        if (event.at === 0) this.startOutageUntil = now + event.durationMs;
      } else if (event.kind === 'outage_host') {
        sim.outage(this.ports[event.host]!, event.durationMs);
      } else if (event.kind === 'rate_limit_storm') {
        sim.faults.add({
          kind: 'rate_limit_storm',
          route: '/binance/api/v3/klines',
          count: 1,
          durationMs: event.durationMs,
        });
        this.stormUntil = now + event.durationMs + SOAK_STEP_MS;
      } else if (event.kind === 'revise') {
        this.revise(event.ageMs);
      }
      this.applied.push({ ...event, appliedAt: now });
    }
  }

  /** Apply every event due at offset `t`, restarts included (they wait for the engine to stop and start). */
  async applyAsync(t: number): Promise<void> {
    for (;;) {
      this.apply(t);
      const event = this.schedule[this.next];
      if (!event || event.at > t) return;
      // A restart: the engine stops (requests in flight are abandoned) and a new one opens the file.
      this.next++;
      await this.world.stopEngine();
      await this.world.startEngine();
      this.restarts++;
      this.applied.push({ ...event, appliedAt: this.world.clock.now() });
    }
  }

  /** Revise the newest stored candle of the first Binance 1m series that closed at least a minute ago. */
  private revise(ageMs: number): void {
    const { sim, clock } = this.world;
    const store = this.world.current.store;
    const series = store.series.list().find((s) => s.source === 'binance' && s.timeframe === '1m');
    if (!series) return;
    const now = clock.now();
    const latest = store.candles.range(series.id, now - 10 * MINUTE_MS, now - 2 * MINUTE_MS).at(-1);
    const ts = latest?.ts ?? Math.floor((now - ageMs) / MINUTE_MS) * MINUTE_MS;
    const truth = sim.truth('binance', series.symbol);
    const candle = truth.candleAt('1m', ts, now);
    if (!candle) return;
    const close = Math.round(candle.close * 1.004);
    truth.edits.revise(ts, { at: now, close, high: Math.max(candle.high, close), volume: candle.volume + 12_345_678 });
    this.revision = {
      key: series,
      ts,
      before: latest ? { close: latest.close, volume: latest.volume } : null,
      storedBeforeRevision: !!latest,
    };
  }

  /** One simulated minute, then wait until the engine is idle, then read what happened. */
  async step(): Promise<void> {
    const { clock, sim } = this.world;
    await clock.advance(SOAK_STEP_MS);
    await this.world.current.engine.whenIdle();
    const now = clock.now();
    this.metrics.readSimulatorLog(sim, {
      storm: now <= this.stormUntil,
      startOutage: now <= this.startOutageUntil + SOAK_STEP_MS,
    });
    this.metrics.readLedger(this.world.current.store);
  }

  /** Lift every fault and step until nothing is open or queued (see the header); returns how long it took. */
  async settle(): Promise<number> {
    const { sim } = this.world;
    sim.faults.clear();
    for (const port of this.ports) sim.outage(port, 0);
    let elapsed = 0;
    let quietSteps = 0;
    while (elapsed < SETTLE_MAX_MS) {
      await this.step();
      elapsed += SOAK_STEP_MS;
      const { store, engine } = this.world.current;
      const now = this.world.clock.now();
      const quiet =
        engine.queueDepth() === 0 &&
        !store.holes.list().some((h) => h.state === 'open') &&
        store.series.list().every((s) => caughtUp(store, s, now));
      quietSteps = quiet ? quietSteps + 1 : 0;
      if (elapsed >= SETTLE_MIN_MS && quietSteps >= 2) break;
    }
    return elapsed;
  }
}

/** The series holds every candle up to its live edge, or the ledger says why not (the tail is done). */
function caughtUp(store: Store, series: Series, now: number): boolean {
  const edge = liveEdge(series, now, DEFAULT_TAIL_TIMING);
  const last = store.candles.lastBefore(series.id, edge);
  return last !== null && afterSettled(store, series, nextOpen(series.timeframe, last), edge) >= edge;
}
