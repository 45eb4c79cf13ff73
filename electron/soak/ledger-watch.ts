/**
 * Every hole the engine writes to the ledger, as written: a temporary trigger on the engine's own
 * connection copies each inserted or changed hole into a temporary table. Polling the ledger between
 * steps would miss a hole opened and repaired within one simulated minute (a sweep's find, a repair
 * that succeeds at once). Temporary objects live in the connection only: the file is not touched.
 */
import type { Store } from '../store/store.js';
import type { HoleCause, HoleState } from '../../shared/domain.js';

export interface WrittenHole {
  seriesId: number;
  from: number;
  to: number;
  state: HoleState;
  cause: HoleCause;
}

export function watchLedger(store: Store): void {
  store.db.exec(`
    CREATE TEMP TABLE IF NOT EXISTS soak_written_holes (
      series_id INTEGER NOT NULL, from_ts INTEGER NOT NULL, to_ts INTEGER NOT NULL, state TEXT NOT NULL, cause TEXT NOT NULL,
      PRIMARY KEY (series_id, from_ts, to_ts, state)
    ) WITHOUT ROWID;
    CREATE TEMP TRIGGER IF NOT EXISTS soak_hole_inserted AFTER INSERT ON main.holes BEGIN
      INSERT OR IGNORE INTO soak_written_holes VALUES (NEW.series_id, NEW.from_ts, NEW.to_ts, NEW.state, NEW.cause);
    END;
    CREATE TEMP TRIGGER IF NOT EXISTS soak_hole_changed AFTER UPDATE OF from_ts, to_ts, state ON main.holes BEGIN
      INSERT OR IGNORE INTO soak_written_holes VALUES (NEW.series_id, NEW.from_ts, NEW.to_ts, NEW.state, NEW.cause);
    END;
  `);
}

/** The holes written since the last drain (each range and state once), emptying the table. */
export function drainLedger(store: Store): WrittenHole[] {
  const rows = store.db
    .prepare('SELECT series_id AS seriesId, from_ts AS "from", to_ts AS "to", state, cause FROM soak_written_holes')
    .all() as WrittenHole[];
  store.db.exec('DELETE FROM soak_written_holes');
  return rows;
}
