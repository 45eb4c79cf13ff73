/** What a committed window says to the user, as events: candles quarantined, a hole repaired. */
import { recordEvent, type EventDeps } from './events.js';
import type { Range } from './hole-ledger.js';
import type { Series } from '../../shared/domain.js';

export function reportQuarantined(deps: EventDeps, series: Series, window: Range, rejected: number): void {
  if (rejected <= 0) return;
  recordEvent(deps, {
    kind: 'series', severity: 'warning', seriesId: series.id, source: series.source,
    message: `${series.symbol} ${series.timeframe}: ${rejected} candle(s) from ${series.source} failed validation and were quarantined (see the quality report)`,
    data: { from: window.from, to: window.to, rejected },
  });
}

/** Say what a repair window found: the hole filled, or confirmed as the source's own. */
export function reportRepair(deps: EventDeps, series: Series, window: Range): void {
  const holes = deps.store.holes.overlapping(series.id, window.from, window.to);
  const at = `${new Date(window.from).toISOString()}..${new Date(window.to).toISOString()}`;
  const outcome = !holes.length ? 'filled' : holes.every((h) => h.state === 'confirmed_empty') ? 'confirmed empty (the source has no data there)' : null;
  if (outcome) recordEvent(deps, { kind: 'repair', severity: 'info', seriesId: series.id, source: series.source, message: `hole in ${series.symbol} ${series.timeframe} at ${at} ${outcome}`, data: { from: window.from, to: window.to } });
}
