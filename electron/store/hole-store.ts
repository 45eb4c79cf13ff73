/** The gap ledger table: holes per series, replaced window by window (see engine/hole-ledger.ts). */
import type { Db } from './database.js';
import { statementCache, type Prepare } from './statements.js';
import type { Hole, HoleCause, HoleState } from '../../shared/domain.js';

/** A range [from, to) of open times. */
export interface Range {
  from: number;
  to: number;
}

/** A hole as the ledger writes it (engine/hole-ledger.ts computes them): a stored Hole's fields over a range. */
export interface LedgerHole extends Range, Omit<Hole, 'id' | 'seriesId' | 'fromTs' | 'toTs'> {}

interface HoleRow {
  id: number;
  series_id: number;
  from_ts: number;
  to_ts: number;
  state: HoleState;
  cause: HoleCause;
  attempts: number;
  next_attempt_ts: number | null;
  last_error: string | null;
  looks: number;
  looked_at: number | null;
  settled_at: number | null;
}

function toHole(r: HoleRow): Hole {
  return {
    id: r.id,
    seriesId: r.series_id,
    fromTs: r.from_ts,
    toTs: r.to_ts,
    state: r.state,
    cause: r.cause,
    attempts: r.attempts,
    nextAttemptTs: r.next_attempt_ts,
    lastError: r.last_error,
    looks: r.looks,
    lookedAt: r.looked_at,
    settledAt: r.settled_at,
  };
}

export class HoleStore {
  private readonly sql: Prepare;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  /** Holes of a series that overlap [from, to). */
  overlapping(seriesId: number, from: number, to: number): Hole[] {
    return (
      this.sql('SELECT * FROM holes WHERE series_id = ? AND from_ts < ? AND to_ts > ? ORDER BY from_ts').all(
        seriesId,
        to,
        from,
      ) as HoleRow[]
    ).map(toHole);
  }

  /** Holes of a series that overlap or touch [from, to) (so a hole split by a window edge merges back). */
  touching(seriesId: number, from: number, to: number): Hole[] {
    return (
      this.sql('SELECT * FROM holes WHERE series_id = ? AND from_ts <= ? AND to_ts >= ? ORDER BY from_ts').all(
        seriesId,
        to,
        from,
      ) as HoleRow[]
    ).map(toHole);
  }

  /** Replace the holes with ids `removeIds` by `holes` (call inside the page's transaction); returns the holes added. */
  replace(seriesId: number, removeIds: number[], holes: LedgerHole[], now: number): Hole[] {
    const del = this.sql('DELETE FROM holes WHERE id = ?');
    for (const id of removeIds) del.run(id);
    const ins = this.sql(
      `INSERT INTO holes (series_id, from_ts, to_ts, state, cause, attempts, next_attempt_ts, last_error, looks, looked_at, settled_at, detected_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    );
    return holes.map((h) => {
      const { id } = ins.get(
        seriesId,
        h.from,
        h.to,
        h.state,
        h.cause,
        h.attempts,
        h.nextAttemptTs,
        h.lastError,
        h.looks,
        h.lookedAt,
        h.settledAt,
        now,
        now,
      ) as { id: number };
      const { from, to, ...rest } = h;
      return { id, seriesId, fromTs: from, toTs: to, ...rest };
    });
  }

  /**
   * Holes of a series due for a look at `now`, oldest first: open holes whose next attempt has come,
   * and settled ones whose late look has (engine/evidence.ts). History not fetched yet is the history
   * job's, not a repair's.
   */
  due(seriesId: number, now: number): Hole[] {
    return (
      this.sql(
        `SELECT * FROM holes WHERE series_id = ? AND ${DUE} AND COALESCE(next_attempt_ts, 0) <= ? ORDER BY from_ts`,
      ).all(seriesId, now) as HoleRow[]
    ).map(toHole);
  }

  /** When the next look at any hole of the series is due (null: none is waiting for one). */
  nextDue(seriesId: number): number | null {
    const row = this.sql(`SELECT MIN(COALESCE(next_attempt_ts, 0)) AS t FROM holes WHERE series_id = ? AND ${DUE}`).get(
      seriesId,
    ) as { t: number | null };
    return row.t;
  }

  /** Ranges of a series planned as history and not fetched yet. */
  notFetched(seriesId: number, from: number, to: number): Range[] {
    return this.overlapping(seriesId, from, to)
      .filter((h) => h.cause === 'not_fetched')
      .map((h) => ({ from: h.fromTs, to: h.toTs }));
  }

  get(id: number): Hole | null {
    const row = this.sql('SELECT * FROM holes WHERE id = ?').get(id) as HoleRow | undefined;
    return row ? toHole(row) : null;
  }

  list(seriesId?: number): Hole[] {
    const rows =
      seriesId === undefined
        ? this.sql('SELECT * FROM holes ORDER BY series_id, from_ts').all()
        : this.sql('SELECT * FROM holes WHERE series_id = ? ORDER BY from_ts').all(seriesId);
    return (rows as HoleRow[]).map(toHole);
  }

  /** Ranges in [from, to) that need no fetching because the source is known to have no data there. */
  settledRanges(seriesId: number, from: number, to: number): Range[] {
    return this.overlapping(seriesId, from, to)
      .filter((h) => h.state !== 'open')
      .map((h) => ({ from: h.fromTs, to: h.toTs }));
  }
}

/** Which holes repairs look at: open ones (but not history still queued) and settled ones with a late look pending. */
const DUE = `((state = 'open' AND cause <> 'not_fetched') OR (state = 'confirmed_empty' AND next_attempt_ts IS NOT NULL))`;

export function toLedgerHole(h: Hole): LedgerHole {
  return {
    from: h.fromTs,
    to: h.toTs,
    state: h.state,
    cause: h.cause,
    attempts: h.attempts,
    nextAttemptTs: h.nextAttemptTs,
    lastError: h.lastError,
    looks: h.looks,
    lookedAt: h.lookedAt,
    settledAt: h.settledAt,
  };
}
