/**
 * One soak: the simulator and the engine in this process on a manual clock, stepped a simulated
 * minute at a time (each step waits until the engine has done everything the minute made due), with
 * the scripted events of schedule.ts on top of a fault profile; then the faults are lifted, the
 * engine settles, and every stored candle is compared with what the simulator publishes.
 *
 * Settling: after the last day the clock keeps going a minute at a time, with no fault, until for
 * two steps in a row the ledger holds no open hole, no job is queued and every series is caught up
 * to its live edge (a series backing off after failures is not), for at least SETTLE_MIN_MS (a
 * second look at a hole comes 10 minutes after the first) and at most SETTLE_MAX_MS. The one-day-later look at a
 * freshly settled hole is not waited for.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Store } from '../store/store.js';
import { verifyStore } from '../engine/ledger-verify.js';
import { DEFAULT_TAIL_TIMING, afterSettled, liveEdge } from '../engine/series-planner.js';
import type { Series, SeriesKey } from '../../shared/domain.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, nextOpen } from '../../shared/timeframe.js';
import { createWorld, SOAK_HOSTS, type World } from './world.js';
import { soakSchedule, type SoakEvent } from './schedule.js';
import { SoakMetrics } from './metrics.js';
import { soakSeries } from './series-plan.js';
import { compareSeries, rangeStored, type SeriesComparison } from './compare.js';
import { sameCandle } from './compare.js';
import { truthCandlesFor } from './venue-truth.js';
import { watchLedger } from './ledger-watch.js';
import {
  apiSuccessRate,
  completenessRate,
  gapRecoveryRate,
  meanResponseMs,
  type SloValues,
} from '../../shared/history.js';
import { HistoryService } from '../health/history-service.js';

/**
 * The simulated moment a soak starts: a Tuesday, so the history of an equity series (from Sunday noon)
 * holds Monday's session. A series whose whole history is market-closed makes the engine re-ask it
 * back to back until the first session opens (the tail starts at the keep-from time while nothing is
 * stored, settled ranges or not): a real cost, but not what a soak of everything else should spend on.
 */
export const SOAK_START = Date.parse('2024-05-07T00:00:00Z');
/** History each series keeps from before the start, fetched by the backfills. */
export const SOAK_HISTORY_MS = 36 * HOUR_MS;
const STEP_MS = MINUTE_MS;
const SETTLE_MIN_MS = 15 * MINUTE_MS;
const SETTLE_MAX_MS = 6 * HOUR_MS;
const PROGRESS_MS = 6 * HOUR_MS;

export interface SoakOptions {
  days: number;
  faults: string;
  seriesCount: number;
  seed: number;
  /** A line every 6 simulated hours, for a long run's progress. */
  progress?: (message: string) => void;
  /** Stops the run between two steps (it then rejects, after closing everything). */
  signal?: AbortSignal;
}

/** What the scripted revision did, and what the store holds for that candle at the end. */
export interface RevisionCheck {
  series: string;
  ts: number;
  storedBeforeRevision: boolean;
  before: { close: number; volume: number | null } | null;
  revised: { close: number; volume: number | null };
  storedAtEnd: { close: number; volume: number | null } | null;
  matchesTruth: boolean;
}

export interface SoakResult {
  days: number;
  faults: string;
  seed: number;
  series: number;
  comparisons: SeriesComparison[];
  /** matched / (expected + extra), over every series. */
  completeness: number;
  completenessBySource: Record<string, number>;
  falseConfirmations: Array<{ series: string; from: number; to: number; truthCandles: number; state: string }>;
  /** Distinct holes the ledger ever held open, and ever held settled (ranges and states). */
  holesOpened: number;
  holesSettled: number;
  recoverableHoles: number;
  recoveredHoles: number;
  gapRecoveryRate: number | null;
  apiSuccessFirstTry: number;
  apiSuccessAfterRetries: number;
  responseMsAvg: number;
  responseMsP95: number;
  requests: number;
  /** Requests by source and outcome. */
  requestOutcomes: Record<string, number>;
  weight: number;
  candlesStored: number;
  bans: number;
  rssStartMb: number;
  rssDay1Mb: number;
  rssEndMb: number;
  eventLoopP99Ms: number;
  verifyFindings: number;
  verifyDetails: string[];
  events: Array<SoakEvent & { appliedAt: number }>;
  simulator: SoakMetrics['sim'];
  revision: RevisionCheck | null;
  restarts: number;
  /** The engine's latest error events (newest first), to explain a failure. */
  engineErrors: string[];
  settleMs: number;
  wallMs: number;
  /** The SLOs over 7 days as the engine's own history computes them from its database at the end. */
  storedSlo: SloValues;
}

const labelOf = (s: SeriesKey): string => `${s.source} ${s.symbol} ${s.timeframe}`;

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const wallStart = performance.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candlekeep-soak-'));
  const dbFile = path.join(dir, 'soak.db');
  const keys = soakSeries(options.seriesCount);
  const schedule = soakSchedule(options.seed, options.days, SOAK_HOSTS);
  const metrics = new SoakMetrics();
  const setup = Store.open(dbFile);
  for (const key of keys) setup.series.ensure(key, SOAK_START - SOAK_HISTORY_MS, SOAK_START - SOAK_HISTORY_MS);
  setup.close();

  const world = await createWorld({
    seed: options.seed,
    start: SOAK_START,
    faults: options.faults,
    dbFile,
    listeners: metrics.listeners,
    wrapSource: (source) => metrics.wrapSource(source),
    storeOpened: watchLedger,
    storeClosing: (store) => metrics.readLedger(store),
  });
  try {
    metrics.start();
    const driver = new Driver(world, metrics, schedule);
    driver.apply(0);
    await world.startEngine();
    const total = options.days * DAY_MS;
    for (let t = 0; t < total; t += STEP_MS) {
      if (options.signal?.aborted) throw new Error(`soak stopped after ${Math.floor(t / HOUR_MS)} simulated hours`);
      if (t > 0) await driver.applyAsync(t);
      await driver.step();
      const done = t + STEP_MS;
      if (done === DAY_MS) metrics.markDay1();
      if (done % PROGRESS_MS === 0) {
        const rss = Math.round(process.memoryUsage().rss / 2 ** 20);
        options.progress?.(
          `${done / HOUR_MS} of ${total / HOUR_MS} simulated hours: ${metrics.requests} requests, RSS ${rss} MB (${Math.round((performance.now() - wallStart) / 1000)} s)`,
        );
      }
    }
    const settleMs = await driver.settle();
    metrics.finish();
    return measure(world, metrics, driver, options, keys.length, settleMs, performance.now() - wallStart);
  } finally {
    await world.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Applies scripted events as the clock reaches them and steps the clock. */
class Driver {
  readonly applied: Array<SoakEvent & { appliedAt: number }> = [];
  revision: {
    key: SeriesKey;
    ts: number;
    before: { close: number; volume: number | null } | null;
    storedBeforeRevision: boolean;
  } | null = null;
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
        this.stormUntil = now + event.durationMs + STEP_MS;
      } else if (event.kind === 'revise') {
        this.revise(event.ageMs);
      }
      this.applied.push({ ...event, appliedAt: now });
    }
  }

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
    await clock.advance(STEP_MS);
    await this.world.current.engine.whenIdle();
    const now = clock.now();
    this.metrics.readSimulatorLog(sim, {
      storm: now <= this.stormUntil,
      startOutage: now <= this.startOutageUntil + STEP_MS,
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
      elapsed += STEP_MS;
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

function measure(
  world: World,
  metrics: SoakMetrics,
  driver: Driver,
  options: SoakOptions,
  seriesCount: number,
  settleMs: number,
  wallMs: number,
): SoakResult {
  const { sim, clock } = world;
  const { store } = world.current;
  const now = clock.now();
  const series = store.series.list();
  const byId = new Map<number, Series>(series.map((s) => [s.id, s]));
  const comparisons = series.map((s) => compareSeries(store, sim, s, liveEdge(s, now, DEFAULT_TAIL_TIMING), now));

  const bySource = new Map<string, { matched: number; of: number }>();
  for (const c of comparisons) {
    const entry = bySource.get(c.source) ?? { matched: 0, of: 0 };
    entry.matched += c.matched;
    entry.of += c.expected + c.extra;
    bySource.set(c.source, entry);
  }
  const matched = comparisons.reduce((n, c) => n + c.matched, 0);
  const of = comparisons.reduce((n, c) => n + c.expected + c.extra, 0);

  metrics.readLedger(store);
  const falseConfirmations: SoakResult['falseConfirmations'] = [];
  for (const hole of metrics.settledHoles.values()) {
    const s = byId.get(hole.seriesId);
    if (!s) continue;
    const truthCandles = truthCandlesFor(sim, s, hole.from, hole.to, now).length;
    if (truthCandles > 0)
      falseConfirmations.push({ series: labelOf(s), from: hole.from, to: hole.to, truthCandles, state: hole.state });
  }
  let recoverable = 0;
  let recovered = 0;
  for (const hole of metrics.openHoles.values()) {
    const s = byId.get(hole.seriesId);
    if (!s) continue;
    const check = rangeStored(store, sim, s, hole.from, hole.to, now);
    if (check.truthCandles === 0) continue;
    recoverable++;
    if (check.stored) recovered++;
  }

  const verify = verifyStore(store, now);
  const revision = driver.revision ? revisionCheck(world, driver.revision, now) : null;
  const candlesStored = series.reduce((n, s) => n + store.candles.total(s.id), 0);
  return {
    days: options.days,
    faults: options.faults,
    seed: options.seed,
    series: seriesCount,
    comparisons,
    completeness: completenessRate(matched, of),
    completenessBySource: Object.fromEntries(
      [...bySource].map(([source, e]) => [source, completenessRate(e.matched, e.of)]),
    ),
    falseConfirmations,
    holesOpened: metrics.openHoles.size,
    holesSettled: metrics.settledHoles.size,
    recoverableHoles: recoverable,
    recoveredHoles: recovered,
    gapRecoveryRate: gapRecoveryRate(recovered, recoverable),
    apiSuccessFirstTry: apiSuccessRate(metrics.requestsOk, metrics.requests),
    apiSuccessAfterRetries: apiSuccessRate(metrics.windowsSucceeded, metrics.windowFetches),
    responseMsAvg: meanResponseMs(metrics.latency.sum, metrics.latency.count),
    responseMsP95: metrics.latency.percentile(95),
    requests: metrics.requests,
    requestOutcomes: Object.fromEntries([...metrics.outcomes].sort()),
    weight: metrics.weight,
    candlesStored,
    bans: Math.max(metrics.bannedOutcomes, metrics.sim.banned),
    rssStartMb: metrics.rssStartMb,
    rssDay1Mb: metrics.rssDay1Mb,
    rssEndMb: metrics.rssEndMb,
    eventLoopP99Ms: metrics.eventLoopP99Ms,
    verifyFindings: verify.findings.length,
    verifyDetails: verify.findings
      .slice(0, 20)
      .map(
        (f) =>
          `series ${f.seriesId} ${f.kind} ${new Date(f.from).toISOString()}..${new Date(f.to).toISOString()}: ${f.detail}`,
      ),
    events: driver.applied,
    simulator: { ...metrics.sim },
    revision,
    restarts: driver.restarts,
    settleMs,
    wallMs,
    engineErrors: store.events
      .list({ severity: 'error', limit: 30 })
      .map((e) => `${new Date(e.at).toISOString()} ${e.message}`),
    storedSlo: storedSlo(world),
  };
}

/** What the dashboard's SLOs say at the end of the run, from the database alone (they must agree with the figures above). */
function storedSlo(world: World): SloValues {
  const { store, engine } = world.current;
  return new HistoryService(store, world.clock, engine.config.tail).slo().windows['7d'];
}

function revisionCheck(world: World, revision: NonNullable<Driver['revision']>, now: number): RevisionCheck {
  const { store } = world.current;
  const series = store.series.find(revision.key)!;
  const truth = truthCandlesFor(world.sim, series, revision.ts, revision.ts + MINUTE_MS, now)[0]!;
  const stored = store.candles.range(series.id, revision.ts, revision.ts + MINUTE_MS)[0] ?? null;
  return {
    series: labelOf(series),
    ts: revision.ts,
    storedBeforeRevision: revision.storedBeforeRevision,
    before: revision.before,
    revised: { close: truth.close, volume: truth.volume },
    storedAtEnd: stored ? { close: stored.close, volume: stored.volume } : null,
    matchesTruth: !!stored && sameCandle(stored, truth),
  };
}
