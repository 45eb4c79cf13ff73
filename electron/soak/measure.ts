/**
 * What a soak found, read once at the end: every stored candle against what the simulator publishes,
 * every hole the ledger ever held against the truth (confirmed empty where the venue has candles?
 * repaired where it could be?), the counters SoakMetrics kept while it ran, `verify` over the ledger,
 * the scripted revision, and the SLOs as the engine's own database computes them.
 */
import { verifyStore } from '../engine/ledger-verify.js';
import { DEFAULT_TAIL_TIMING, liveEdge } from '../engine/series-planner.js';
import { HistoryService } from '../health/history-service.js';
import type { Series, SeriesKey } from '../../shared/domain.js';
import {
  apiSuccessRate,
  completenessRate,
  gapRecoveryRate,
  meanResponseMs,
  type SloValues,
} from '../../shared/history.js';
import { MINUTE_MS } from '../../shared/timeframe.js';
import type { World } from './world.js';
import type { SoakMetrics } from './metrics.js';
import type { AppliedEvent, ScriptedRevision, SoakDriver } from './driver.js';
import { compareSeries, rangeStored, sameCandle, type SeriesComparison } from './compare.js';
import { truthCandlesFor } from './venue-truth.js';

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
  events: AppliedEvent[];
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

/** How the run was asked for and how long it took: reported as given, not measured here. */
export interface SoakRun {
  days: number;
  faults: string;
  seed: number;
  seriesCount: number;
  settleMs: number;
  wallMs: number;
}

/** What the driver did to the world, for the report. */
export type DriverRecord = Pick<SoakDriver, 'applied' | 'revision' | 'restarts'>;

const labelOf = (s: SeriesKey): string => `${s.source} ${s.symbol} ${s.timeframe}`;

/** Reads the settled world (engine still open) into the soak's result. */
export function measureSoak(world: World, metrics: SoakMetrics, driver: DriverRecord, run: SoakRun): SoakResult {
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

  // Holes written after the last step's reading are judged too.
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
    days: run.days,
    faults: run.faults,
    seed: run.seed,
    series: run.seriesCount,
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
    settleMs: run.settleMs,
    wallMs: run.wallMs,
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

function revisionCheck(world: World, revision: ScriptedRevision, now: number): RevisionCheck {
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
