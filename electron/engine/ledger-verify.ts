/**
 * Recomputes a series' coverage from its stored candles and its ledger and reports what does not add
 * up: ranges accounted for by nothing, overlapping ledger entries, entries that contradict candles.
 * placeholder until the lead's verify lands
 */
import type { Store } from '../store/store.js';

export interface VerifyFinding {
  seriesId: number;
  kind: 'unaccounted' | 'overlap' | 'contradiction';
  from: number;
  to: number;
  detail: string;
}

export interface VerifyReport {
  series: number;
  findings: VerifyFinding[];
}

export function verifyStore(store: Store, now: number, options?: { seriesIds?: number[] }): VerifyReport {
  void now;
  const series = options?.seriesIds?.length ?? store.series.list().length;
  return { series, findings: [] };
}
