/** Settings that live in the database (the engine's): sources, defaults, alerts, sweeps. */
import type { AlertRule } from './health.js';
import type { Timeframe } from './timeframe.js';

/** Hosts that serve the same Binance spot market data (docs/SOURCES.md "Binance klines", hosts): the default of `binanceHosts`. */
export const BINANCE_DEFAULT_HOSTS = [
  'https://data-api.binance.vision',
  'https://api.binance.com',
  'https://api1.binance.com',
  'https://api2.binance.com',
  'https://api3.binance.com',
  'https://api4.binance.com',
];

export interface Settings {
  sources: {
    /** Equivalent Binance hosts, spread over and failed over between. */
    binanceHosts: string[];
    /** Calls per minute we allow ourselves (their limits are not fixed). */
    coingeckoCallsPerMinute: number | null;
    yahooCallsPerMinute: number | null;
    /** Per-request timeout. */
    requestTimeoutMs: number;
    /** Live tails from WebSocket streams where a source has them (REST polling otherwise). */
    streams: boolean;
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
