/** Health of sources and series, and alerts: what the overview, the tray and /metrics show. */

/** ok → degraded → down; banned while a 418 ban runs (a pure function: docs/ARCHITECTURE.md "Conventions"). */
export type SourceStatus = 'ok' | 'degraded' | 'down' | 'banned' | 'idle';

export type CircuitState = 'closed' | 'open' | 'half_open';

/** One source's health over rolling windows of its request log. */
export interface SourceHealth {
  source: string;
  status: SourceStatus;
  /** Share of requests that succeeded in the last 5 minutes (null: no requests). */
  successRate: number | null;
  requests5m: number;
  errors5m: number;
  rateLimited1h: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  /** Weight spent in the current budget window, and the limit. */
  budgetUsed: number;
  budgetLimit: number;
  budgetWindowMs: number;
  /** Weight other programs on the same IP spend (from the server's counter). */
  budgetExternal: number;
  lastSuccessAt: number | null;
  lastError: { at: number; message: string } | null;
  circuit: CircuitState;
  /** While a Retry-After or a ban runs: when it ends. */
  retryAfterUntil: number | null;
  hosts: Array<{ url: string; healthy: boolean }>;
  /** The source's live stream, when its tails stream (null: they poll REST). */
  stream: StreamHealth | null;
}

/** A live stream at a glance: connected or not, how busy, how often it had to reconnect. */
export interface StreamHealth {
  state: 'off' | 'connecting' | 'live' | 'reconnecting';
  connections: number;
  /** Streams subscribed (one per series). */
  streams: number;
  /** Messages per second over at least the last 5 s (null until health has looked that long). */
  messagesPerSec: number | null;
  reconnects: number;
  lastMessageAt: number | null;
}

/** How fresh a series is: the age of its last closed candle against its timeframe. */
export interface SeriesFreshness {
  seriesId: number;
  /** Closed candles the series is behind the live edge (0: up to date). */
  candlesBehind: number;
  /** ms since the newest stored candle closed (null: nothing stored). */
  ageMs: number | null;
}

export type AlertKind = 'source_down' | 'series_stale' | 'hole_unrepairable' | 'ban' | 'disk_full' | 'slo_missed';

/** A rule with its threshold; defaults in electron/alerts/alert-rules.ts, editable in settings. */
export interface AlertRule {
  kind: AlertKind;
  enabled: boolean;
  /** source_down: minutes; series_stale: candles; hole_unrepairable: attempts; disk_full: free MB; slo_missed: the window in hours (24, or 168 for 7 days). */
  threshold: number;
}

export interface Alert {
  /** Stable while the condition lasts, e.g. 'source_down:binance'. */
  id: string;
  kind: AlertKind;
  severity: 'warning' | 'error';
  title: string;
  message: string;
  since: number;
  /** Dashboard route that explains it, e.g. 'overview' or 'series/3'. */
  page: string;
}

export type OverallHealth = 'ok' | 'degraded' | 'down';

export interface EngineStatusView {
  state: 'stopped' | 'running' | 'paused';
  health: OverallHealth;
  seriesTotal: number;
  seriesUpToDate: number;
  openHoles: number;
  queueDepth: number;
  activeAlerts: number;
}

/** The alert rules a new installation starts with (thresholds: minutes, candles, attempts, bans, MiB free, hours). */
export const DEFAULT_ALERT_RULES: AlertRule[] = [
  { kind: 'source_down', enabled: true, threshold: 5 },
  { kind: 'series_stale', enabled: true, threshold: 3 },
  { kind: 'hole_unrepairable', enabled: true, threshold: 5 },
  { kind: 'ban', enabled: true, threshold: 1 },
  { kind: 'disk_full', enabled: true, threshold: 1024 },
  // Off by default: a new installation's first backfill is incomplete by definition.
  { kind: 'slo_missed', enabled: false, threshold: 24 },
];
