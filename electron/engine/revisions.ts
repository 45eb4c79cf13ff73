/**
 * Revisions (docs/ARCHITECTURE.md "Jobs"): a source may still correct a candle shortly after it
 * closed, so recently closed candles are re-read once, after a settle delay, in batches (one request
 * per batch, not per candle). A candle the source changed is stored anew and the change recorded as a
 * 'revision' event with both versions. Progress is a mark in the database (store/revision-store.ts),
 * so a restart neither repeats nor skips a re-read.
 */
import type { Store } from '../store/store.js';
import type { WindowResult } from '../sources/source.js';
import type { Range } from './hole-ledger.js';
import { commitWindow, type CommitOptions, type CommitResult } from './window-commit.js';
import { recordEvent, type EventDeps } from './events.js';
import { liveEdge, tailDelay, type TailTiming } from './series-planner.js';
import type { Candle, Series } from '../../shared/domain.js';
import { HOUR_MS, MINUTE_MS, ceilToTimeframe, timeframeMs } from '../../shared/timeframe.js';

export interface RevisionTiming {
  /** How long after a candle closes it is re-read (until then the source may still correct it). */
  settleMs: number;
  /** Re-reads wait until they span at least this long (or one candle), so one request covers many candles. */
  batchMs: number;
  /** Candles that closed longer ago than this were fetched settled (history, catch-up): not re-read. */
  horizonMs: number;
}

export const DEFAULT_REVISION_TIMING: RevisionTiming = {
  settleMs: 10 * MINUTE_MS,
  batchMs: 10 * MINUTE_MS,
  horizonMs: 6 * HOUR_MS,
};

/** At most this many revisions of one window are recorded one by one; the rest in one summary event. */
const EVENTS_PER_WINDOW = 20;

/** Exclusive end of the candles that closed at least the settle delay ago. */
function settledEdge(series: Series, now: number, tail: TailTiming, timing: RevisionTiming): number {
  return liveEdge(series, now - timing.settleMs, tail);
}

/**
 * The range of settled candles still to re-read, or null when none is due. A series seen for the first
 * time starts at its settled edge (what it already holds is history, fetched settled).
 */
export function planReread(
  store: Store,
  series: Series,
  now: number,
  tail: TailTiming,
  timing: RevisionTiming,
): Range | null {
  const edge = settledEdge(series, now, tail, timing);
  const checked = store.revisions.checkedTo(series.id);
  if (checked === null) {
    store.revisions.start(series.id, edge);
    return null;
  }
  const span = Math.max(timing.batchMs, timeframeMs(series.timeframe));
  // Never closer than two batches: a daily candle due just after midnight is inside the horizon.
  const horizon = ceilToTimeframe(
    series.timeframe,
    Math.min(edge, now - Math.max(timing.horizonMs, 2 * span + timing.settleMs)),
  );
  const from = Math.max(checked, horizon, ceilToTimeframe(series.timeframe, series.startTs));
  if (from > checked) store.revisions.skipTo(series.id, from);
  if (edge <= from || edge - from < span) return null;
  // Nothing stored there (market closed, a hole the repairs own): nothing to compare, no request.
  if (store.candles.count(series.id, from, edge) === 0) {
    store.revisions.skipTo(series.id, edge);
    return null;
  }
  return { from, to: edge };
}

/**
 * When the next re-read of a series falls due (Infinity: not tracked yet; the next plan starts it).
 * One already due is running or waiting on a failing series' backoff, and its end plans the next:
 * the timer need not spin on it.
 */
export function nextRereadAt(
  store: Store,
  series: Series,
  now: number,
  tail: TailTiming,
  timing: RevisionTiming,
): number {
  const checked = store.revisions.checkedTo(series.id);
  if (checked === null) return Infinity;
  const span = Math.max(timing.batchMs, timeframeMs(series.timeframe));
  const due = ceilToTimeframe(series.timeframe, checked + span) + tailDelay(series, tail) + timing.settleMs;
  return due > now ? due : now + timing.batchMs;
}

const sameCandle = (a: Candle, b: Candle): boolean =>
  a.open === b.open && a.high === b.high && a.low === b.low && a.close === b.close && a.volume === b.volume;

/**
 * Commit a re-read window like any other (validation, ledger), then compare with what was stored:
 * each changed candle is a revision, recorded with both versions. Candles the window newly fills are
 * not revisions. The mark moves past the window.
 */
export function commitReread(
  deps: EventDeps,
  series: Series,
  window: Range,
  result: WindowResult,
  edge: number,
  now: number,
  options: CommitOptions = {},
): CommitResult {
  const { store } = deps;
  const before = new Map(store.candles.range(series.id, window.from, window.to).map((c) => [c.ts, c]));
  const committed = commitWindow(store, series, window, result, edge, now, options);
  if (committed.stored > 0) {
    const revised = store.candles.range(series.id, window.from, window.to).flatMap((after) => {
      const prior = before.get(after.ts);
      return prior && !sameCandle(prior, after) ? [{ before: prior, after }] : [];
    });
    if (revised.length) {
      // Checks that already read these candles must read them again.
      store.quality.invalidateSeries(series.id);
      recordRevisions(deps, series, revised);
    }
  }
  store.revisions.advance(series.id, window.from, window.to);
  return committed;
}

function recordRevisions(deps: EventDeps, series: Series, revised: Array<{ before: Candle; after: Candle }>): void {
  for (const { before, after } of revised.slice(0, EVENTS_PER_WINDOW)) {
    recordEvent(deps, {
      kind: 'revision',
      severity: 'warning',
      seriesId: series.id,
      source: series.source,
      message: `${series.source} revised ${series.symbol} ${series.timeframe} at ${new Date(after.ts).toISOString()} after it closed: ${changes(before, after)}; the new version is stored`,
      data: { ts: after.ts, before, after },
    });
  }
  const rest = revised.slice(EVENTS_PER_WINDOW);
  if (rest.length) {
    recordEvent(deps, {
      kind: 'revision',
      severity: 'warning',
      seriesId: series.id,
      source: series.source,
      message: `${series.source} revised ${rest.length} more ${series.symbol} ${series.timeframe} candle(s) up to ${new Date(rest[rest.length - 1]!.after.ts).toISOString()}; the new versions are stored`,
      data: { count: rest.length, revisions: rest.map((r) => ({ ts: r.after.ts, before: r.before, after: r.after })) },
    });
  }
}

/** "close 42000.1 -> 42100.5, volume 12.5 -> 13" */
function changes(before: Candle, after: Candle): string {
  const fields = ['open', 'high', 'low', 'close', 'volume'] as const;
  return fields
    .filter((f) => before[f] !== after[f])
    .map((f) => `${f} ${before[f]} -> ${after[f]}`)
    .join(', ');
}
