/**
 * The main loop's delays on /metrics: each delay lands in the first bucket at or above it, and the
 * exposition's buckets are cumulative, as a Prometheus histogram's must be.
 */
import { describe, expect, it } from 'vitest';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { DELAY_BOUNDS_MS, LoopDelayMonitor } from './loop-delay.js';
import { RefusalCounters, RequestCounters, renderMetrics } from './metrics.js';

describe('the event-loop delay histogram', () => {
  it('counts each delay in its bucket and renders cumulative buckets with sum and count', () => {
    const monitor = new LoopDelayMonitor();
    for (const ms of [0, 0.4, 1, 3, 3, 49, 51, 7_000]) monitor.record(ms);
    const text = renderMetrics({
      counters: new RequestCounters(),
      refusals: new RefusalCounters(),
      candlesStored: 0,
      sources: [],
      series: [],
      status: {
        state: 'running',
        health: 'ok',
        seriesTotal: 0,
        seriesUpToDate: 0,
        openHoles: 0,
        queueDepth: 0,
        activeAlerts: 0,
      },
      loopDelay: { bounds: DELAY_BOUNDS_MS, counts: monitor.counts, sumMs: monitor.sumMs },
    });
    const family = parsePrometheusTextFormat(text).find((f) => f.name === 'candlekeep_event_loop_delay_seconds')!;
    expect(family.type).toBe('HISTOGRAM');
    const metric = family.metrics[0] as unknown as { buckets: Record<string, string>; count: string; sum: string };
    expect(metric.buckets['0.001']).toBe('3');
    expect(metric.buckets['0.002']).toBe('3');
    expect(metric.buckets['0.005']).toBe('5');
    expect(metric.buckets['0.05']).toBe('6');
    expect(metric.buckets['0.075']).toBe('7');
    expect(metric.buckets['5']).toBe('7');
    expect(metric.buckets['+Inf']).toBe('8');
    expect(metric.count).toBe('8');
    expect(Number(metric.sum)).toBeCloseTo(7.1074, 6);
  });
});
