/**
 * Numbered schema migrations, applied in order, each in its own transaction; `PRAGMA user_version`
 * records how far a database has come. Never edit a released migration: add the next one.
 */
import { HISTORY_MIGRATION } from './history-migration.js';

export const MIGRATIONS: string[] = [
  // 1: series, candles, the gap ledger, quarantine, request log, events.
  `
  CREATE TABLE series (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    symbol TEXT NOT NULL,
    timeframe TEXT NOT NULL,
    start_ts INTEGER NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    UNIQUE (source, symbol, timeframe)
  );
  CREATE TABLE candles (
    series_id INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    open REAL NOT NULL,
    high REAL NOT NULL,
    low REAL NOT NULL,
    close REAL NOT NULL,
    volume REAL,
    PRIMARY KEY (series_id, ts)
  ) WITHOUT ROWID;
  CREATE TABLE holes (
    id INTEGER PRIMARY KEY,
    series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
    from_ts INTEGER NOT NULL,
    to_ts INTEGER NOT NULL,
    state TEXT NOT NULL,
    cause TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_ts INTEGER,
    last_error TEXT,
    detected_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (from_ts < to_ts)
  );
  CREATE INDEX holes_by_series ON holes (series_id, from_ts);
  CREATE TABLE rejected (
    id INTEGER PRIMARY KEY,
    series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
    ts INTEGER,
    raw TEXT NOT NULL,
    reason TEXT NOT NULL,
    seen_at INTEGER NOT NULL
  );
  CREATE INDEX rejected_by_series ON rejected (series_id, ts);
  CREATE TABLE requests (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    host TEXT NOT NULL,
    at INTEGER NOT NULL,
    duration_ms REAL NOT NULL,
    status INTEGER,
    outcome TEXT NOT NULL,
    weight INTEGER NOT NULL DEFAULT 0,
    error TEXT
  );
  CREATE INDEX requests_by_source ON requests (source, at);
  CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,
    series_id INTEGER,
    source TEXT,
    message TEXT NOT NULL,
    data TEXT
  );
  CREATE INDEX events_by_time ON events (at);
  `,
  // 2: settings (one JSON value per key).
  `
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  `,
  // 3: data quality: quarantine details, quality flags and the checks' progress, assets
  // listed on several sources, and how far recent candles have been re-read for revisions.
  `
  ALTER TABLE rejected ADD COLUMN detail TEXT;
  ALTER TABLE rejected ADD COLUMN last_seen_at INTEGER;
  ALTER TABLE rejected ADD COLUMN times_seen INTEGER NOT NULL DEFAULT 1;
  CREATE INDEX rejected_by_reason ON rejected (series_id, reason);
  CREATE TABLE quality_flags (
    id INTEGER PRIMARY KEY,
    subject TEXT NOT NULL,
    series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    ts INTEGER NOT NULL,
    to_ts INTEGER NOT NULL,
    message TEXT NOT NULL,
    data TEXT,
    found_at INTEGER NOT NULL
  );
  CREATE INDEX quality_flags_by_series ON quality_flags (series_id, kind, ts);
  CREATE INDEX quality_flags_by_subject ON quality_flags (subject, to_ts);
  CREATE TABLE quality_scans (
    subject TEXT PRIMARY KEY,
    series_ids TEXT NOT NULL,
    params TEXT NOT NULL DEFAULT '',
    scanned_to INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE quality_tallies (
    subject TEXT NOT NULL,
    series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
    compared INTEGER NOT NULL DEFAULT 0,
    max_deviation REAL,
    PRIMARY KEY (subject, series_id)
  );
  CREATE TABLE assets (
    name TEXT PRIMARY KEY,
    tolerance REAL NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE asset_listings (
    asset TEXT NOT NULL REFERENCES assets(name) ON DELETE CASCADE ON UPDATE CASCADE,
    source TEXT NOT NULL,
    symbol TEXT NOT NULL,
    PRIMARY KEY (source, symbol)
  );
  CREATE TABLE revision_checks (
    series_id INTEGER PRIMARY KEY REFERENCES series(id) ON DELETE CASCADE,
    checked_to INTEGER NOT NULL
  );
  `,
  // 4: evidence per hole: how many looks found it empty, when the first was made, when it was settled
  // (engine/evidence.ts). Holes from before keep what their attempts said: each attempt was a look.
  `
  ALTER TABLE holes ADD COLUMN looks INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE holes ADD COLUMN looked_at INTEGER;
  ALTER TABLE holes ADD COLUMN settled_at INTEGER;
  UPDATE holes SET looks = attempts, looked_at = detected_at WHERE state = 'open' AND attempts > 0;
  UPDATE holes SET looks = 2, looked_at = detected_at, settled_at = updated_at WHERE state = 'confirmed_empty';
  `,
  // 5: tokens and the audit log. Tokens are kept as sha256 hashes only. The audit log is
  // append-only: triggers refuse any update, and any delete but the retention pruning of rows more
  // than a day old, whoever asks.
  `
  CREATE TABLE tokens (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('read', 'admin')),
    hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER
  );
  CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    ts INTEGER NOT NULL,
    actor TEXT NOT NULL,
    remote TEXT,
    channel TEXT NOT NULL,
    args TEXT,
    outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'refused', 'error')),
    reason TEXT
  );
  CREATE INDEX audit_by_time ON audit (ts);
  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
  END;
  CREATE TRIGGER audit_no_recent_delete BEFORE DELETE ON audit
  WHEN old.ts > (CAST(strftime('%s', 'now') AS INTEGER) - 86400) * 1000
  BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: only rows past their retention are pruned');
  END;
  `,
  // 6: health over time (history-migration.ts).
  HISTORY_MIGRATION,
  // 7: the change log of configuration (series, settings, tokens; keys are recorded by the code
  // that stores them, since they live outside the database). Triggers write it in the same
  // transaction as the change, whichever process or code path makes it, so every running engine
  // can poll it and reload only what changed. AUTOINCREMENT: ids only grow, even after pruning.
  `
  CREATE TABLE config_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)),
    kind TEXT NOT NULL CHECK (kind IN ('series', 'settings', 'keys', 'tokens')),
    subject INTEGER
  );
  CREATE TRIGGER config_series_added AFTER INSERT ON series
  BEGIN
    INSERT INTO config_changes (kind, subject) VALUES ('series', new.id);
  END;
  CREATE TRIGGER config_series_changed AFTER UPDATE OF enabled, start_ts ON series
  WHEN old.enabled IS NOT new.enabled OR old.start_ts IS NOT new.start_ts
  BEGIN
    INSERT INTO config_changes (kind, subject) VALUES ('series', new.id);
  END;
  CREATE TRIGGER config_series_removed AFTER DELETE ON series
  BEGIN
    INSERT INTO config_changes (kind, subject) VALUES ('series', old.id);
  END;
  CREATE TRIGGER config_settings_added AFTER INSERT ON settings
  BEGIN
    INSERT INTO config_changes (kind) VALUES ('settings');
  END;
  CREATE TRIGGER config_settings_changed AFTER UPDATE OF value ON settings
  WHEN old.value IS NOT new.value
  BEGIN
    INSERT INTO config_changes (kind) VALUES ('settings');
  END;
  CREATE TRIGGER config_settings_removed AFTER DELETE ON settings
  BEGIN
    INSERT INTO config_changes (kind) VALUES ('settings');
  END;
  CREATE TRIGGER config_tokens_added AFTER INSERT ON tokens
  BEGIN
    INSERT INTO config_changes (kind) VALUES ('tokens');
  END;
  CREATE TRIGGER config_tokens_changed AFTER UPDATE OF role, hash ON tokens
  BEGIN
    INSERT INTO config_changes (kind) VALUES ('tokens');
  END;
  CREATE TRIGGER config_tokens_removed AFTER DELETE ON tokens
  BEGIN
    INSERT INTO config_changes (kind) VALUES ('tokens');
  END;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
