/**
 * Alert rules and their evaluation, as a pure function of the current state: which alerts are active
 * now. The alert service diffs successive results to raise and clear them (each exactly once).
 */
import { DEFAULT_ALERT_RULES } from '../../shared/health.js';
import type { Alert, AlertRule, SeriesFreshness, SourceHealth } from '../../shared/health.js';
import type { Hole, Series } from '../../shared/domain.js';
import { SLO_TARGETS, sloMet, type SloReport } from '../../shared/history.js';

export { DEFAULT_ALERT_RULES };

export interface AlertInputs {
  now: number;
  sources: SourceHealth[];
  /** Since when each source has been down (from the health tracker). */
  downSince: Map<string, number>;
  series: Array<{ series: Series; freshness: SeriesFreshness }>;
  /** Open holes, with their attempts. */
  openHoles: Hole[];
  /** Free bytes on the data folder's disk (null: unknown). */
  freeBytes: number | null;
  /** The SLOs over 24 hours and 7 days (absent: not computed, no SLO alert). */
  slo?: SloReport | null;
}

const sloText = (unit: 'ratio' | 'ms', v: number): string =>
  unit === 'ms' ? `${Math.round(v)} ms` : `${(v * 100).toFixed(2)}%`;

const iso = (ts: number): string => new Date(ts).toISOString().replace('.000Z', 'Z');

export function evaluateAlerts(rules: AlertRule[], input: AlertInputs): Alert[] {
  const alerts: Alert[] = [];
  const rule = (kind: AlertRule['kind']): AlertRule | undefined => rules.find((r) => r.kind === kind && r.enabled);

  const down = rule('source_down');
  if (down) {
    for (const [source, since] of input.downSince) {
      if (input.now - since >= down.threshold * 60_000) {
        const health = input.sources.find((s) => s.source === source);
        alerts.push({
          id: `source_down:${source}`,
          kind: 'source_down',
          severity: 'error',
          since,
          title: `${source} is down`,
          message: `${source} has failed every request since ${iso(since)}${health?.lastError ? `: ${health.lastError.message}` : ''}`,
          page: 'overview',
        });
      }
    }
  }

  const ban = rule('ban');
  if (ban) {
    for (const s of input.sources) {
      if (s.status === 'banned' && s.retryAfterUntil !== null) {
        alerts.push({
          id: `ban:${s.source}`,
          kind: 'ban',
          severity: 'error',
          since: input.now,
          title: `${s.source} banned this IP`,
          message: `${s.source} refuses requests from this IP until ${iso(s.retryAfterUntil)}; Candlekeep waits and resumes by itself`,
          page: 'overview',
        });
      }
    }
  }

  const stale = rule('series_stale');
  if (stale) {
    for (const { series, freshness } of input.series) {
      if (series.enabled && freshness.candlesBehind >= stale.threshold) {
        alerts.push({
          id: `series_stale:${series.id}`,
          kind: 'series_stale',
          severity: 'warning',
          since: input.now,
          title: `${series.symbol} ${series.timeframe} is stale`,
          message: `${series.source} ${series.symbol} ${series.timeframe} is ${freshness.candlesBehind} candles behind`,
          page: `series/${series.id}`,
        });
      }
    }
  }

  const unrepairable = rule('hole_unrepairable');
  if (unrepairable) {
    for (const hole of input.openHoles) {
      if (hole.attempts >= unrepairable.threshold) {
        alerts.push({
          id: `hole_unrepairable:${hole.seriesId}:${hole.fromTs}`,
          kind: 'hole_unrepairable',
          severity: 'warning',
          since: input.now,
          title: 'A hole cannot be repaired',
          message: `${iso(hole.fromTs)}..${iso(hole.toTs)} failed ${hole.attempts} repairs${hole.lastError ? `: ${hole.lastError}` : ''}`,
          page: `series/${hole.seriesId}`,
        });
      }
    }
  }

  const disk = rule('disk_full');
  if (disk && input.freeBytes !== null && input.freeBytes < disk.threshold * 1024 * 1024) {
    alerts.push({
      id: 'disk_full',
      kind: 'disk_full',
      severity: 'error',
      since: input.now,
      title: 'Disk nearly full',
      message: `only ${Math.round(input.freeBytes / 1024 / 1024)} MB left on the disk of the data folder`,
      page: 'settings',
    });
  }
  const slo = rule('slo_missed');
  if (slo && input.slo) {
    const window = slo.threshold >= 168 ? '7d' : '24h';
    const values = input.slo.windows[window];
    for (const t of SLO_TARGETS) {
      const value = values[t.key];
      if (sloMet(t, value) || value === null) continue;
      alerts.push({
        id: `slo_missed:${t.key}`,
        kind: 'slo_missed',
        severity: 'warning',
        since: input.now,
        title: `${t.label} misses its target`,
        message: `${t.label} over ${window} is ${sloText(t.unit, value)}; the target is ${t.kind === 'below' ? 'below' : 'at least'} ${sloText(t.unit, t.target)}`,
        page: 'overview',
      });
    }
  }
  return alerts;
}

/** Alerts to raise and to clear, going from `previous` to `current` (by id). */
export function diffAlerts(previous: Alert[], current: Alert[]): { raised: Alert[]; cleared: Alert[] } {
  const before = new Set(previous.map((a) => a.id));
  const now = new Set(current.map((a) => a.id));
  return { raised: current.filter((a) => !before.has(a.id)), cleared: previous.filter((a) => !now.has(a.id)) };
}
