/** A fleet of collectors on one PostgreSQL, as `candlekeep fleet`, `/metrics` and the dashboard show it. */
export interface FleetBudgetUse {
  /** The budget's key (e.g. `binance`: weight per public IP). */
  key: string;
  /** Weight this collector spent in the last window. */
  used: number;
  /** This collector's part of the limit (the group's limit divided among its live members). */
  limit: number;
  windowMs: number;
}

export interface FleetCollector {
  name: string;
  version: string;
  /** Collectors with the same egress share one public IP, and so one budget. */
  egress: string;
  host: string;
  pid: number;
  startedAt: number;
  /** Null once it stopped cleanly (it handed its leases back). */
  heartbeatAt: number | null;
  /** How long ago the last heartbeat was, on the database's clock; null once stopped. */
  heartbeatAgeMs: number | null;
  /** Heartbeat within its lease timeout. */
  alive: boolean;
  leaseTimeoutMs: number;
  /** Series it holds an unexpired lease on. */
  leases: number;
  budget: FleetBudgetUse[];
}

export interface FleetStatus {
  /** Null when this database has no fleet (SQLite, or no collector ever ran with --collector). */
  collectors: FleetCollector[] | null;
  /** Series with a lease row that nobody holds now (free, or expired with a dead collector). */
  unleased: number;
}
