/**
 * Rows of (step, outcome) sums into one bucket per step, with success rate and latency percentiles
 * (pure: the history service feeds it what history-queries.ts summed in SQL).
 */
import type { OutcomeRow } from '../store/history-queries.js';
import {
  LATENCY_BUCKETS,
  apiSuccessRate,
  histogramPercentile,
  meanResponseMs,
  type RequestBucket,
} from '../../shared/history.js';

interface Acc {
  bucket: RequestBucket;
  timed: number;
  latencySum: number;
  hist: number[];
}

function finish(a: Acc): RequestBucket {
  const b = a.bucket;
  return {
    ...b,
    successRate: b.requests ? apiSuccessRate(b.ok, b.requests) : null,
    p50Ms: histogramPercentile(a.hist, 50),
    p95Ms: histogramPercentile(a.hist, 95),
    meanMs: a.timed ? meanResponseMs(a.latencySum, a.timed) : null,
  };
}

const empty = (at: number): Acc => ({
  bucket: {
    at,
    requests: 0,
    ok: 0,
    rateLimited: 0,
    banned: 0,
    errors: {},
    weight: 0,
    successRate: null,
    p50Ms: null,
    p95Ms: null,
    meanMs: null,
  },
  timed: 0,
  latencySum: 0,
  hist: new Array<number>(LATENCY_BUCKETS).fill(0),
});

function add(a: Acc, r: OutcomeRow): void {
  const b = a.bucket;
  b.requests += r.requests;
  b.weight += r.weight;
  if (r.outcome === 'ok') b.ok += r.requests;
  else if (r.outcome === 'rate_limited') b.rateLimited += r.requests;
  else if (r.outcome === 'banned') b.banned += r.requests;
  else b.errors[r.outcome] = (b.errors[r.outcome] ?? 0) + r.requests;
  a.timed += r.timed;
  a.latencySum += r.latencySum;
  r.hist.forEach((n, i) => (a.hist[i]! += n));
}

/** One bucket per step from `from` (inclusive) to `to` (exclusive), empty steps included, so a chart's x axis is even. */
export function bucketSeries(rows: readonly OutcomeRow[], from: number, to: number, stepMs: number): RequestBucket[] {
  const byAt = new Map<number, Acc>();
  for (const r of rows) {
    let a = byAt.get(r.at);
    if (!a) byAt.set(r.at, (a = empty(r.at)));
    add(a, r);
  }
  const out: RequestBucket[] = [];
  for (let at = Math.floor(from / stepMs) * stepMs; at < to; at += stepMs) out.push(finish(byAt.get(at) ?? empty(at)));
  return out;
}

/** All rows summed into one bucket (the range's totals). */
export function bucketTotal(rows: readonly OutcomeRow[]): RequestBucket {
  const a = empty(0);
  for (const r of rows) add(a, r);
  return finish(a);
}
