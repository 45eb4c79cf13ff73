/**
 * Health over time in real SQLite and PostgreSQL: what a request becomes in the minute and hour buckets, value by
 * value; what pruning removes and keeps; how a logged hole ends up repaired or settled.
 */
import { describe, expect, it } from 'vitest';
import { describeBackends } from '../test-support/backends.js';
import { tempStorePerTest } from '../test-support/temp-store.js';
import type { RequestOutcome } from '../net/source-http.js';
import { HOUR_RETENTION_MS, MINUTE_RETENTION_MS } from './history-store.js';
import type { Store } from './store.js';
import { bucketSeries } from '../health/request-buckets.js';

const T0 = Date.parse('2026-11-02T10:00:00Z');
const MIN = 60_000;
const HOUR = 3_600_000;

const req = (
  at: number,
  outcome: RequestOutcome['outcome'],
  durationMs: number,
  status: number | null = outcome === 'ok' ? 200 : 500,
  host = 'h1',
  source = 'binance',
): RequestOutcome => ({
  source,
  host,
  at,
  durationMs,
  status,
  outcome,
  weight: 2,
  error: outcome === 'ok' ? null : 'x',
});

function record(s: Store, rows: RequestOutcome[]): void {
  for (const r of rows) s.requests.add(r);
  s.requests.flush();
}

const rowsOf = (s: Store, table: string) =>
  s.db
    .prepare(
      `SELECT source, host, bucket, outcome, requests, timed, latency_sum AS "latencySum", weight, l0, l1, l2, l3, l4, l5, l6, l7, l8, l9 FROM ${table} ORDER BY bucket, host, outcome`,
    )
    .all();

describeBackends('health over time', (databases) => {
  const store = tempStorePerTest(databases);

  describe('request buckets', () => {
    it('sums each request into its minute and its hour, by host and outcome, with a latency histogram', () => {
      record(store(), [
        req(T0 + 1_000, 'ok', 20),
        req(T0 + 2_000, 'ok', 120),
        req(T0 + 59_999, 'server_error', 3_000),
        req(T0 + MIN, 'ok', 40),
        req(T0 + MIN + 5, 'timeout', 15_000, null),
      ]);
      const zero = { l0: 0, l1: 0, l2: 0, l3: 0, l4: 0, l5: 0, l6: 0, l7: 0, l8: 0, l9: 0 };
      expect(rowsOf(store(), 'request_minutes')).toEqual([
        {
          source: 'binance',
          host: 'h1',
          bucket: T0,
          outcome: 'ok',
          requests: 2,
          timed: 2,
          latencySum: 140,
          weight: 4,
          ...zero,
          l0: 1,
          l3: 1,
        },
        {
          source: 'binance',
          host: 'h1',
          bucket: T0,
          outcome: 'server_error',
          requests: 1,
          timed: 1,
          latencySum: 3_000,
          weight: 2,
          ...zero,
          l7: 1,
        },
        {
          source: 'binance',
          host: 'h1',
          bucket: T0 + MIN,
          outcome: 'ok',
          requests: 1,
          timed: 1,
          latencySum: 40,
          weight: 2,
          ...zero,
          l1: 1,
        },
        // No answer, no response time: a timeout counts as a request, not in the latency.
        {
          source: 'binance',
          host: 'h1',
          bucket: T0 + MIN,
          outcome: 'timeout',
          requests: 1,
          timed: 0,
          latencySum: 0,
          weight: 2,
          ...zero,
        },
      ]);
      expect(rowsOf(store(), 'request_hours')).toEqual([
        {
          source: 'binance',
          host: 'h1',
          bucket: T0,
          outcome: 'ok',
          requests: 3,
          timed: 3,
          latencySum: 180,
          weight: 6,
          ...zero,
          l0: 1,
          l1: 1,
          l3: 1,
        },
        {
          source: 'binance',
          host: 'h1',
          bucket: T0,
          outcome: 'server_error',
          requests: 1,
          timed: 1,
          latencySum: 3_000,
          weight: 2,
          ...zero,
          l7: 1,
        },
        {
          source: 'binance',
          host: 'h1',
          bucket: T0,
          outcome: 'timeout',
          requests: 1,
          timed: 0,
          latencySum: 0,
          weight: 2,
          ...zero,
        },
      ]);
    });

    it('adds to a bucket across flushes rather than replacing it', () => {
      record(store(), [req(T0, 'ok', 10)]);
      record(store(), [req(T0 + 10, 'ok', 30), req(T0 + 20, 'ok', 30, 200, 'h2')]);
      const rows = store()
        .db.prepare("SELECT host, requests, latency_sum AS s FROM request_minutes WHERE outcome = 'ok' ORDER BY host")
        .all();
      expect(rows).toEqual([
        { host: 'h1', requests: 2, s: 40 },
        { host: 'h2', requests: 1, s: 30 },
      ]);
    });

    it('reads back per step with success rate and percentiles, empty steps included', () => {
      record(store(), [
        req(T0, 'ok', 20),
        req(T0 + 1, 'ok', 20),
        req(T0 + 2, 'ok', 700),
        req(T0 + 3, 'rate_limited', 5, 429),
        req(T0 + 2 * MIN, 'banned', 5, 418),
      ]);
      const rows = store().historyQueries.outcomes('minute', 'binance', T0, T0 + 3 * MIN, MIN);
      const buckets = bucketSeries(rows, T0, T0 + 3 * MIN, MIN);
      expect(
        buckets.map((b) => [b.at, b.requests, b.ok, b.rateLimited, b.banned, b.successRate, b.p50Ms, b.p95Ms]),
      ).toEqual([
        [T0, 4, 3, 1, 0, 0.75, 25, 1000],
        [T0 + MIN, 0, 0, 0, 0, null, null, null],
        [T0 + 2 * MIN, 1, 0, 0, 1, 0, 25, 25],
      ]);
      expect(store().historyQueries.totals('minute', T0, T0 + 3 * MIN)).toEqual({
        requests: 5,
        ok: 3,
        timed: 5,
        latencySum: 750,
      });
    });

    it('groups minute buckets into wider steps (the 24-hour range is drawn in 15-minute points)', () => {
      record(store(), [req(T0 + MIN, 'ok', 10), req(T0 + 14 * MIN, 'ok', 10), req(T0 + 15 * MIN, 'network', 0, null)]);
      const rows = store().historyQueries.outcomes('minute', null, T0, T0 + 30 * MIN, 15 * MIN);
      expect(
        bucketSeries(rows, T0, T0 + 30 * MIN, 15 * MIN).map((b) => [b.at, b.requests, b.successRate, b.errors]),
      ).toEqual([
        [T0, 2, 1, {}],
        [T0 + 15 * MIN, 1, 0, { network: 1 }],
      ]);
    });

    it('sums a window from whole hours and ragged minute ends to exactly what the minutes say', () => {
      const rows = Array.from({ length: 200 }, (_, i) =>
        req(T0 + 7 * MIN * i + 13, i % 3 ? 'ok' : 'server_error', 10 + i),
      );
      record(store(), rows);
      const from = T0 + 37 * MIN;
      const to = T0 + 20 * HOUR + 11 * MIN;
      const exact = store().historyQueries.totalsExact(from, to);
      expect(exact).toEqual(store().historyQueries.totals('minute', from, to));
      expect(exact.requests).toBe(rows.filter((r) => r.at >= from && r.at < to).length);
    });
  });

  describe('pruning', () => {
    it('drops minute buckets after a week and hour buckets after 90 days, by the requests’ own clock', () => {
      const now = T0 + 100 * 24 * HOUR;
      record(store(), [
        req(now - MINUTE_RETENTION_MS - HOUR, 'ok', 10),
        req(now - HOUR_RETENTION_MS - HOUR, 'ok', 10),
        req(now - 3 * HOUR, 'ok', 10),
      ]);
      // The flush pruned against its newest request (now - 3h); prune again at `now` to be exact.
      store().history.prune(now);
      const buckets = (table: string) =>
        (store().db.prepare(`SELECT bucket FROM ${table} ORDER BY bucket`).all() as Array<{ bucket: number }>).map(
          (r) => r.bucket,
        );
      expect(buckets('request_minutes')).toEqual([now - 3 * HOUR]);
      expect(buckets('request_hours')).toEqual([
        Math.floor((now - MINUTE_RETENTION_MS - HOUR) / HOUR) * HOUR,
        now - 3 * HOUR,
      ]);
    });

    it('deletes at most one batch per call, oldest first', () => {
      const s = store();
      const old = T0 - MINUTE_RETENTION_MS - 10 * HOUR;
      const ins = s.db.prepare(
        "INSERT INTO request_minutes (source, host, bucket, outcome, requests, timed, latency_sum, weight, l0, l1, l2, l3, l4, l5, l6, l7, l8, l9) VALUES ('b', 'h', ?, 'ok', 1, 0, 0, 0, 0,0,0,0,0,0,0,0,0,0)",
      );
      for (let i = 0; i < 25; i++) ins.run(old + i * MIN);
      expect(s.history.prune(T0, 10)).toBe(10);
      expect((s.db.prepare('SELECT MIN(bucket) AS m FROM request_minutes').get() as { m: number }).m).toBe(
        old + 10 * MIN,
      );
      expect(s.history.prune(T0, 10)).toBe(10);
      expect(s.history.prune(T0, 10)).toBe(5);
      expect(s.history.prune(T0, 10)).toBe(0);
    });
  });

  describe('the hole log', () => {
    const hole = (from: number, to: number) => ({
      from,
      to,
      state: 'open' as const,
      cause: 'fetch_failed' as const,
      attempts: 1,
      nextAttemptTs: null,
      lastError: 'x',
      looks: 0,
      lookedAt: null,
      settledAt: null,
    });

    it('logs every opened range and closes it repaired when candles filled it, settled when none did, open while a hole remains', () => {
      const s = store();
      const series = s.series.ensure({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, T0, T0);
      s.holes.replace(
        series.id,
        [],
        [hole(T0, T0 + 2 * MIN), hole(T0 + 5 * MIN, T0 + 6 * MIN), hole(T0 + 8 * MIN, T0 + 9 * MIN)],
        T0 + 10 * MIN,
      );
      const [a, b] = s.holes.list().filter((h) => h.seriesId === series.id);
      s.candles.upsert(series.id, [
        { ts: T0, open: 1, high: 1, low: 1, close: 1, volume: 1 },
        { ts: T0 + MIN, open: 1, high: 1, low: 1, close: 1, volume: 1 },
      ]);
      s.holes.replace(series.id, [a!.id, b!.id], [], T0 + 20 * MIN);
      expect(s.history.closeHoles(T0 + 21 * MIN)).toBe(2);
      const log = s.db
        .prepare(
          'SELECT from_ts AS "from", opened_at AS opened, closed_at AS closed, result FROM hole_log ORDER BY from_ts',
        )
        .all();
      expect(log).toEqual([
        { from: T0, opened: T0 + 10 * MIN, closed: T0 + 21 * MIN, result: 'repaired' },
        { from: T0 + 5 * MIN, opened: T0 + 10 * MIN, closed: T0 + 21 * MIN, result: 'settled' },
        { from: T0 + 8 * MIN, opened: T0 + 10 * MIN, closed: null, result: null },
      ]);
      // Recoverable: the repaired one and the one still open (unrecovered so far), not the settled one.
      expect(s.historyQueries.recovery(T0, T0 + HOUR)).toEqual({ recoverable: 2, repaired: 1 });
      expect(s.historyQueries.holeCounts(series.id, T0, T0 + HOUR, HOUR)).toEqual([
        { at: T0, opened: 3, repaired: 1, settled: 1 },
      ]);
    });

    it('keeps the worst lag and the last completeness of an hour’s samples', () => {
      const s = store();
      const series = s.series.ensure({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, T0, T0);
      s.history.sampleSeries(series.id, T0 + MIN, 0.5, 120_000);
      s.history.sampleSeries(series.id, T0 + 2 * MIN, 0.75, 60_000);
      s.history.sampleSeries(series.id, T0 + HOUR, 1, 0);
      expect(s.historyQueries.seriesPoints(series.id, T0, T0 + 2 * HOUR, HOUR)).toEqual([
        { at: T0, completeness: 0.75, lagMs: 120_000 },
        { at: T0 + HOUR, completeness: 1, lagMs: 0 },
      ]);
    });

    it('notes a breaker state only when it changes', () => {
      const s = store();
      for (const [at, state] of [
        [T0, 'closed'],
        [T0 + MIN, 'open'],
        [T0 + 2 * MIN, 'open'],
        [T0 + 3 * MIN, 'half_open'],
        [T0 + 4 * MIN, 'closed'],
      ] as const)
        s.history.noteBreaker('yahoo', at, state);
      expect(s.historyQueries.breakerChanges('yahoo', T0, T0 + HOUR)).toEqual([
        { at: T0 + MIN, state: 'open' },
        { at: T0 + 3 * MIN, state: 'half_open' },
        { at: T0 + 4 * MIN, state: 'closed' },
      ]);
    });
  });
});
