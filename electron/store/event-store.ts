/**
 * The events table: alerts, bans, rate limits, repairs, revisions and state changes, newest first.
 * The dashboard's event view reads from here, never from the log file.
 */
import type { Db } from './database.js';
import { statementCache, type Prepare } from './statements.js';
import type { EngineEvent, EventKind, EventSeverity } from '../../shared/domain.js';

interface EventRow {
  id: number;
  at: number;
  kind: EventKind;
  severity: EventSeverity;
  series_id: number | null;
  source: string | null;
  message: string;
  data: string | null;
}

export interface EventQuery {
  kinds?: EventKind[];
  severity?: EventSeverity;
  seriesId?: number;
  source?: string;
  before?: number;
  limit?: number;
}

const toEvent = (r: EventRow): EngineEvent => ({
  id: r.id,
  at: r.at,
  kind: r.kind,
  severity: r.severity,
  seriesId: r.series_id,
  source: r.source,
  message: r.message,
  data: r.data ? (JSON.parse(r.data) as Record<string, unknown>) : null,
});

export class EventStore {
  private readonly sql: Prepare;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  record(event: Omit<EngineEvent, 'id'>): EngineEvent {
    const info = this.sql(
      'INSERT INTO events (at, kind, severity, series_id, source, message, data) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
    ).get(
      event.at,
      event.kind,
      event.severity,
      event.seriesId,
      event.source,
      event.message,
      event.data ? JSON.stringify(event.data) : null,
    ) as { id: number };
    return { ...event, id: Number(info.id) };
  }

  list(q: EventQuery = {}): EngineEvent[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.kinds?.length) {
      where.push(`kind IN (${q.kinds.map(() => '?').join(',')})`);
      params.push(...q.kinds);
    }
    if (q.severity) {
      where.push('severity = ?');
      params.push(q.severity);
    }
    if (q.seriesId !== undefined) {
      where.push('series_id = ?');
      params.push(q.seriesId);
    }
    if (q.source) {
      where.push('source = ?');
      params.push(q.source);
    }
    if (q.before !== undefined) {
      where.push('at < ?');
      params.push(q.before);
    }
    const sql = `SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT ?`;
    return (this.sql(sql).all(...params, Math.min(q.limit ?? 200, 1000)) as EventRow[]).map(toEvent);
  }
}
