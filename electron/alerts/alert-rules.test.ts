import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_RULES, diffAlerts, evaluateAlerts, type AlertInputs } from './alert-rules.js';
import type { SourceHealth } from '../../shared/health.js';
import type { Series } from '../../shared/domain.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const health = (patch: Partial<SourceHealth>): SourceHealth => ({
  source: 'binance',
  status: 'ok',
  successRate: 1,
  requests5m: 10,
  errors5m: 0,
  rateLimited1h: 0,
  latencyP50Ms: 5,
  latencyP95Ms: 9,
  budgetUsed: 0,
  budgetLimit: 6000,
  budgetWindowMs: 60_000,
  budgetExternal: 0,
  lastSuccessAt: NOW,
  lastError: null,
  circuit: 'closed',
  retryAfterUntil: null,
  hosts: [],
  stream: null,
  ...patch,
});
const series: Series = {
  id: 7,
  source: 'binance',
  symbol: 'BTCUSDT',
  timeframe: '1m',
  startTs: 0,
  enabled: true,
  createdAt: 0,
};
const quiet: AlertInputs = {
  now: NOW,
  sources: [health({})],
  downSince: new Map(),
  series: [{ series, freshness: { seriesId: 7, candlesBehind: 0, ageMs: 1_000 } }],
  openHoles: [],
  freeBytes: 50e9,
};

describe('alert rules', () => {
  it('raise nothing when all is well', () => {
    expect(evaluateAlerts(DEFAULT_ALERT_RULES, quiet)).toEqual([]);
  });

  it('raise source down only after the configured minutes', () => {
    const down = { ...quiet, sources: [health({ status: 'down' })] };
    expect(
      evaluateAlerts(DEFAULT_ALERT_RULES, { ...down, downSince: new Map([['binance', NOW - 4 * 60_000]]) }),
    ).toEqual([]);
    expect(
      evaluateAlerts(DEFAULT_ALERT_RULES, { ...down, downSince: new Map([['binance', NOW - 5 * 60_000]]) }).map(
        (a) => a.id,
      ),
    ).toEqual(['source_down:binance']);
  });

  it('raise a ban with its end time, a stale series, an unrepairable hole and a full disk', () => {
    const alerts = evaluateAlerts(DEFAULT_ALERT_RULES, {
      ...quiet,
      sources: [health({ status: 'banned', retryAfterUntil: NOW + 120_000 })],
      series: [{ series, freshness: { seriesId: 7, candlesBehind: 3, ageMs: 200_000 } }],
      openHoles: [
        {
          id: 1,
          seriesId: 7,
          fromTs: NOW - 600_000,
          toTs: NOW - 540_000,
          state: 'open',
          cause: 'missing',
          attempts: 5,
          nextAttemptTs: NOW,
          lastError: 'HTTP 503',
          looks: 0,
          lookedAt: null,
          settledAt: null,
        },
      ],
      freeBytes: 100 * 1024 * 1024,
    });
    expect(alerts.map((a) => a.kind)).toEqual(['ban', 'series_stale', 'hole_unrepairable', 'disk_full']);
    expect(alerts[0]!.message).toContain('2024-06-01T12:02:00Z');
  });

  it('do nothing for disabled rules', () => {
    const rules = DEFAULT_ALERT_RULES.map((r) => ({ ...r, enabled: false }));
    expect(evaluateAlerts(rules, { ...quiet, freeBytes: 1 })).toEqual([]);
  });

  it('raise an SLO that misses its target over the rule’s window, once enabled', () => {
    const values = (apiSuccess: number, responseMs: number) => ({
      apiSuccess,
      completeness: 1,
      gapRecovery: null,
      responseMs,
      requests: 100,
      holesRecoverable: 0,
      holesRepaired: 0,
    });
    const slo = { at: NOW, windows: { '24h': values(0.98, 2_500), '7d': values(0.995, 300) } };
    expect(evaluateAlerts(DEFAULT_ALERT_RULES, { ...quiet, slo })).toEqual([]);
    const on = DEFAULT_ALERT_RULES.map((r) => (r.kind === 'slo_missed' ? { ...r, enabled: true } : r));
    const day = evaluateAlerts(on, { ...quiet, slo });
    expect(day.map((a) => [a.id, a.message])).toEqual([
      ['slo_missed:apiSuccess', 'API success over 24h is 98.00%; the target is at least 99.00%'],
      ['slo_missed:responseMs', 'Average response over 24h is 2500 ms; the target is below 2000 ms'],
    ]);
    const week = on.map((r) => (r.kind === 'slo_missed' ? { ...r, threshold: 168 } : r));
    expect(evaluateAlerts(week, { ...quiet, slo })).toEqual([]);
  });

  it('diff: an alert that stays active is not raised again', () => {
    const a = evaluateAlerts(DEFAULT_ALERT_RULES, { ...quiet, freeBytes: 1 });
    expect(diffAlerts(a, a)).toEqual({ raised: [], cleared: [] });
    expect(diffAlerts([], a).raised).toHaveLength(1);
    expect(diffAlerts(a, []).cleared).toHaveLength(1);
  });
});
