/** Settings that live in the database (the engine's): sources, defaults, alerts, sweeps. */
import type { AlertRule } from './health.js';
import type { Timeframe } from './timeframe.js';

export interface Settings {
  sources: {
    /** Equivalent Binance hosts, spread over and failed over between. */
    binanceHosts: string[];
    /** Calls per minute we allow ourselves (their limits are not fixed). */
    coingeckoCallsPerMinute: number | null;
    yahooCallsPerMinute: number | null;
    /** Per-request timeout. */
    requestTimeoutMs: number;
  };
  seriesDefaults: { source: string; timeframe: Timeframe; keepDays: number };
  alerts: { rules: AlertRule[]; webhookUrl: string | null };
  /** Cron expression (UTC) of the full gap sweep. */
  sweepCron: string;
  /** Audit rows older than this are pruned. */
  audit: { retentionDays: number };
}

/** Whether a key is set, never its value (keys are write-only from every front). */
export interface KeyStatus {
  name: string;
  set: boolean;
  updatedAt: number | null;
  /** How keys are kept on this machine: 'keyring' (encrypted), 'basic_text', 'plaintext-file', 'unavailable'. */
  protection: string;
}

export interface DataFolderInfo {
  path: string;
  databaseFile: string;
  /** Database plus its WAL, in bytes. */
  sizeBytes: number;
  freeBytes: number | null;
}
