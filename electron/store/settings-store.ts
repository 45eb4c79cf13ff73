/**
 * The engine's settings, kept in the database so every front (CLI, daemon, desktop, remote browser)
 * sees the same. Stored as one JSON document; missing fields take the defaults, so older databases
 * and newer defaults combine.
 */
import type { Db } from './database.js';
import { statementCache, type Prepare } from './statements.js';
import type { Settings } from '../../shared/settings.js';
import type { SettingsPatch } from '../../shared/contract.js';
import { DEFAULT_ALERT_RULES } from '../../shared/health.js';
import { BINANCE_DEFAULT_HOSTS } from '../../shared/settings.js';

export const DEFAULT_SETTINGS: Settings = {
  sources: {
    binanceHosts: BINANCE_DEFAULT_HOSTS,
    coingeckoCallsPerMinute: null,
    yahooCallsPerMinute: null,
    requestTimeoutMs: 15_000,
    streams: true,
  },
  seriesDefaults: { source: 'binance', timeframe: '1m', keepDays: 30 },
  alerts: { rules: DEFAULT_ALERT_RULES, webhookUrl: null },
  sweepCron: '7 * * * *',
  audit: { retentionDays: 365 },
};

const KEY = 'settings';

export class SettingsStore {
  private readonly sql: Prepare;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  get(): Settings {
    const row = this.sql('SELECT value FROM settings WHERE key = ?').get(KEY) as { value: string } | undefined;
    if (!row) return structuredClone(DEFAULT_SETTINGS);
    let saved: Partial<Settings> = {};
    try {
      saved = JSON.parse(row.value) as Partial<Settings>;
    } catch {
      // A damaged value falls back to the defaults rather than stopping the engine.
    }
    return merge(structuredClone(DEFAULT_SETTINGS), saved);
  }

  /** Apply an already-validated patch; returns the new settings. */
  update(patch: SettingsPatch, now: number): Settings {
    const next = merge(this.get(), patch as Partial<Settings>);
    this.sql(
      'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    ).run(KEY, JSON.stringify(next), now);
    return next;
  }
}

function merge(base: Settings, patch: Partial<Settings>): Settings {
  return {
    sources: { ...base.sources, ...patch.sources },
    seriesDefaults: { ...base.seriesDefaults, ...patch.seriesDefaults },
    alerts: { ...base.alerts, ...patch.alerts, rules: withNewRules(patch.alerts?.rules ?? base.alerts.rules) },
    sweepCron: patch.sweepCron ?? base.sweepCron,
    audit: { ...base.audit, ...patch.audit },
  };
}

/** Rules saved before a kind existed get that kind's default, so a newer rule is never invisible. */
function withNewRules(rules: Settings['alerts']['rules']): Settings['alerts']['rules'] {
  return [...rules, ...DEFAULT_ALERT_RULES.filter((d) => !rules.some((r) => r.kind === d.kind))];
}
