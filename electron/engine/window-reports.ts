/** What a committed window says to the user, as events: candles quarantined, a hole repaired. */
import { recordEvent, type EventDeps } from './events.js';
import type { Range } from './hole-ledger.js';
import type { Series } from '../../shared/domain.js';

export function reportQuarantined(deps: EventDeps, series: Series, window: Range, rejected: number): void {
  if (rejected <= 0) return;
  recordEvent(deps, {
    kind: 'series',
    severity: 'warning',
    seriesId: series.id,
    source: series.source,
    message: `${series.symbol} ${series.timeframe}: ${rejected} candle(s) from ${series.source} failed validation and were quarantined (see the quality report)`,
    data: { from: window.from, to: window.to, rejected },
  });
}

/**
 * Say what a repair window found: the hole filled, or confirmed as the source's own. `late` candles
 * were stored in a range settled empty before (its late look, engine/evidence.ts rule 4): the source
 * published them after we had looked twice, and the user should know such data can arrive.
 */
export function reportRepair(deps: EventDeps, series: Series, window: Range, late = 0): void {
  const at = `${new Date(window.from).toISOString()}..${new Date(window.to).toISOString()}`;
  if (late > 0) {
    recordEvent(deps, {
      kind: 'repair',
      severity: 'warning',
      seriesId: series.id,
      source: series.source,
      message: `late data: ${late} candle(s) of ${series.symbol} ${series.timeframe} at ${at} appeared after the range was confirmed empty; stored`,
      data: { from: window.from, to: window.to, late },
    });
    return;
  }
  const holes = deps.store.holes.overlapping(series.id, window.from, window.to);
  const outcome = !holes.length
    ? 'filled'
    : holes.every((h) => h.state === 'confirmed_empty')
      ? 'confirmed empty (the source has no data there)'
      : null;
  if (outcome)
    recordEvent(deps, {
      kind: 'repair',
      severity: 'info',
      seriesId: series.id,
      source: series.source,
      message: `hole in ${series.symbol} ${series.timeframe} at ${at} ${outcome}`,
      data: { from: window.from, to: window.to },
    });
}
