/**
 * Reads of health over time, summed in SQL over buckets of any width (a multiple of the table's
 * grain; `x - x % step`, since numbers are bound as reals and `/` would not floor), so a 90-day range is one grouped scan of the hour table, never rows shipped to JavaScript.
 */
import type { Db } from './database.js';
import { statementCache, type Prepare } from './statements.js';
import { LATENCY_BUCKETS } from '../../shared/history.js';

export type Grain = 'minute' | 'hour';
const HOUR_MS = 3_600_000;
const TABLE: Record<Grain, string> = { minute: 'request_minutes', hour: 'request_hours' };
const L_SUMS = Array.from({ length: LATENCY_BUCKETS }, (_, i) => `SUM(l${i}) AS l${i}`).join(', ');

export interface OutcomeRow {
  at: number;
  outcome: string;
  requests: number;
  timed: number;
  latencySum: number;
  weight: number;
  hist: number[];
}

export interface RequestTotals {
  requests: number;
  ok: number;
  timed: number;
  latencySum: number;
}

type RawRow = Record<string, number | string>;
const histOf = (r: RawRow): number[] => Array.from({ length: LATENCY_BUCKETS }, (_, i) => Number(r[`l${i}`] ?? 0));

export class HistoryQueries {
  private readonly sql: Prepare;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  /**
   * A source's requests in [from, to) per step and outcome (source null: every source). Two
   * statements, so the one for a source walks the (source, bucket) index and never other sources' rows.
   */
  outcomes(grain: Grain, source: string | null, from: number, to: number, stepMs: number): OutcomeRow[] {
    const select = `SELECT bucket - bucket % ? AS at, outcome, SUM(requests) AS requests, SUM(timed) AS timed, SUM(latency_sum) AS "latencySum", SUM(weight) AS weight, ${L_SUMS} FROM ${TABLE[grain]}`;
    const rows = (
      source === null
        ? this.sql(`${select} WHERE bucket >= ? AND bucket < ? GROUP BY 1, 2 ORDER BY 1`).all(stepMs, from, to)
        : this.sql(`${select} WHERE source = ? AND bucket >= ? AND bucket < ? GROUP BY 1, 2 ORDER BY 1`).all(
            stepMs,
            source,
            from,
            to,
          )
    ) as RawRow[];
    return rows.map((r) => ({
      at: Number(r.at),
      outcome: String(r.outcome),
      requests: Number(r.requests),
      timed: Number(r.timed),
      latencySum: Number(r.latencySum),
      weight: Number(r.weight),
      hist: histOf(r),
    }));
  }

  /** Per host of a source over [from, to): requests, successes and the latency histogram. */
  hosts(
    grain: Grain,
    source: string,
    from: number,
    to: number,
  ): Array<{ host: string; requests: number; ok: number; hist: number[] }> {
    const rows = this.sql(
      `SELECT host, SUM(requests) AS requests, SUM(CASE WHEN outcome = 'ok' THEN requests ELSE 0 END) AS ok, ${L_SUMS}
       FROM ${TABLE[grain]} WHERE source = ? AND bucket >= ? AND bucket < ? GROUP BY host ORDER BY host`,
    ).all(source, from, to) as RawRow[];
    return rows.map((r) => ({ host: String(r.host), requests: Number(r.requests), ok: Number(r.ok), hist: histOf(r) }));
  }

  /**
   * Every source's requests over [from, to) at minute precision, for the SLOs: whole hours from the
   * hour buckets (a week of minutes would be 60 times the rows), the ragged ends from the minutes.
   */
  totalsExact(from: number, to: number): RequestTotals {
    const hourFrom = Math.ceil(from / HOUR_MS) * HOUR_MS;
    const hourTo = Math.floor(to / HOUR_MS) * HOUR_MS;
    if (hourFrom >= hourTo) return this.totals('minute', from, to);
    const parts = [
      this.totals('minute', from, hourFrom),
      this.totals('hour', hourFrom, hourTo),
      this.totals('minute', hourTo, to),
    ];
    return parts.reduce((a, b) => ({
      requests: a.requests + b.requests,
      ok: a.ok + b.ok,
      timed: a.timed + b.timed,
      latencySum: a.latencySum + b.latencySum,
    }));
  }

  /** Every source's requests over [from, to) of one table. */
  totals(grain: Grain, from: number, to: number): RequestTotals {
    const r = this.sql(
      `SELECT COALESCE(SUM(requests), 0) AS requests, COALESCE(SUM(CASE WHEN outcome = 'ok' THEN requests ELSE 0 END), 0) AS ok,
              COALESCE(SUM(timed), 0) AS timed, COALESCE(SUM(latency_sum), 0) AS "latencySum"
       FROM ${TABLE[grain]} WHERE bucket >= ? AND bucket < ?`,
    ).get(from, to) as RequestTotals;
    return r;
  }

  /** Sources with any bucket since `from`. */
  sources(from: number): string[] {
    return (
      this.sql('SELECT DISTINCT source FROM request_minutes WHERE bucket >= ? ORDER BY source').all(from) as Array<{
        source: string;
      }>
    ).map((r) => r.source);
  }

  /** A series' hourly samples in [from, to), per step: the lowest completeness and the worst lag of the step. */
  seriesPoints(
    seriesId: number,
    from: number,
    to: number,
    stepMs: number,
  ): Array<{ at: number; completeness: number | null; lagMs: number }> {
    return this.sql(
      `SELECT bucket - bucket % ? AS at, MIN(completeness) AS completeness, MAX(lag_ms) AS "lagMs"
       FROM series_hours WHERE series_id = ? AND bucket >= ? AND bucket < ? GROUP BY 1 ORDER BY 1`,
    ).all(stepMs, seriesId, from, to) as Array<{ at: number; completeness: number | null; lagMs: number }>;
  }

  /** Holes of a series opened, repaired and settled per step in [from, to). */
  holeCounts(
    seriesId: number,
    from: number,
    to: number,
    stepMs: number,
  ): Array<{ at: number; opened: number; repaired: number; settled: number }> {
    return this.sql(
      `SELECT at, SUM(opened) AS opened, SUM(repaired) AS repaired, SUM(settled) AS settled FROM (
         SELECT opened_at - opened_at % ? AS at, 1 AS opened, 0 AS repaired, 0 AS settled FROM hole_log WHERE series_id = ? AND opened_at >= ? AND opened_at < ?
         UNION ALL
         SELECT closed_at - closed_at % ?, 0, CASE WHEN result = 'repaired' THEN 1 ELSE 0 END, CASE WHEN result = 'settled' THEN 1 ELSE 0 END FROM hole_log WHERE series_id = ? AND closed_at >= ? AND closed_at < ?
       ) AS logged GROUP BY at ORDER BY at`,
    ).all(stepMs, seriesId, from, to, stepMs, seriesId, from, to) as Array<{
      at: number;
      opened: number;
      repaired: number;
      settled: number;
    }>;
  }

  /**
   * Holes opened in [from, to): how many had data to recover (all but those settled as empty: still
   * open ones count, unrecovered) and how many were repaired.
   */
  recovery(from: number, to: number): { recoverable: number; repaired: number } {
    return this.sql(
      `SELECT COALESCE(SUM(CASE WHEN result IS DISTINCT FROM 'settled' THEN 1 ELSE 0 END), 0) AS recoverable,
              COALESCE(SUM(CASE WHEN result = 'repaired' THEN 1 ELSE 0 END), 0) AS repaired
       FROM hole_log WHERE opened_at >= ? AND opened_at < ?`,
    ).get(from, to) as { recoverable: number; repaired: number };
  }

  breakerChanges(source: string, from: number, to: number): Array<{ at: number; state: string }> {
    return this.sql('SELECT at, state FROM breaker_changes WHERE source = ? AND at >= ? AND at < ? ORDER BY at').all(
      source,
      from,
      to,
    ) as Array<{ at: number; state: string }>;
  }
}
