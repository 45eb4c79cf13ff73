/**
 * The schema of health over time, kept in one block so it can take whatever migration number comes
 * next. Request outcomes are summed per (source, host, bucket, outcome) at two grains: minutes (kept a
 * week) and hours (kept 90 days); latency as a fixed histogram, so percentiles of any range are sums of
 * its buckets. Series get an hourly sample of completeness and lag. Every hole range ever opened is
 * logged by trigger (a hole opened and repaired between two samples must still count) and later
 * marked repaired or settled, which is what gap recovery is made of. Breaker state changes are kept
 * as they are seen. All bounded: history-store.ts prunes every table by age, in batches.
 */
export const HISTORY_MIGRATION = `
  CREATE TABLE request_minutes (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    host TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    requests INTEGER NOT NULL,
    timed INTEGER NOT NULL,
    latency_sum REAL NOT NULL,
    weight INTEGER NOT NULL,
    l0 INTEGER NOT NULL, l1 INTEGER NOT NULL, l2 INTEGER NOT NULL, l3 INTEGER NOT NULL, l4 INTEGER NOT NULL,
    l5 INTEGER NOT NULL, l6 INTEGER NOT NULL, l7 INTEGER NOT NULL, l8 INTEGER NOT NULL, l9 INTEGER NOT NULL,
    UNIQUE (source, bucket, host, outcome)
  );
  CREATE INDEX request_minutes_by_bucket ON request_minutes (bucket);
  CREATE TABLE request_hours (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    host TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    requests INTEGER NOT NULL,
    timed INTEGER NOT NULL,
    latency_sum REAL NOT NULL,
    weight INTEGER NOT NULL,
    l0 INTEGER NOT NULL, l1 INTEGER NOT NULL, l2 INTEGER NOT NULL, l3 INTEGER NOT NULL, l4 INTEGER NOT NULL,
    l5 INTEGER NOT NULL, l6 INTEGER NOT NULL, l7 INTEGER NOT NULL, l8 INTEGER NOT NULL, l9 INTEGER NOT NULL,
    UNIQUE (source, bucket, host, outcome)
  );
  CREATE INDEX request_hours_by_bucket ON request_hours (bucket);
  CREATE TABLE series_hours (
    id INTEGER PRIMARY KEY,
    series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
    bucket INTEGER NOT NULL,
    completeness REAL,
    lag_ms INTEGER NOT NULL,
    UNIQUE (series_id, bucket)
  );
  CREATE INDEX series_hours_by_bucket ON series_hours (bucket);
  CREATE TABLE hole_log (
    id INTEGER PRIMARY KEY,
    series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
    from_ts INTEGER NOT NULL,
    to_ts INTEGER NOT NULL,
    opened_at INTEGER NOT NULL,
    closed_at INTEGER,
    result TEXT CHECK (result IN ('repaired', 'settled')),
    UNIQUE (series_id, from_ts, to_ts)
  );
  CREATE INDEX hole_log_by_opened ON hole_log (opened_at);
  CREATE INDEX hole_log_pending ON hole_log (series_id) WHERE closed_at IS NULL;
  CREATE TRIGGER hole_log_inserted AFTER INSERT ON holes WHEN NEW.state = 'open' BEGIN
    INSERT OR IGNORE INTO hole_log (series_id, from_ts, to_ts, opened_at) VALUES (NEW.series_id, NEW.from_ts, NEW.to_ts, NEW.updated_at);
  END;
  CREATE TRIGGER hole_log_changed AFTER UPDATE OF from_ts, to_ts, state ON holes WHEN NEW.state = 'open' BEGIN
    INSERT OR IGNORE INTO hole_log (series_id, from_ts, to_ts, opened_at) VALUES (NEW.series_id, NEW.from_ts, NEW.to_ts, NEW.updated_at);
  END;
  CREATE TABLE breaker_changes (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    at INTEGER NOT NULL,
    state TEXT NOT NULL
  );
  CREATE INDEX breaker_changes_by_time ON breaker_changes (at);
`;
