/**
 * Which series a quality report reads, so a change to one series refreshes only the reports it can
 * move: its own, the other timeframes of the same listing (cross-timeframe checks) and the listings
 * of the same asset on other sources (cross-source checks). Pure.
 */
import type { QualityReport } from '../../../shared/quality';

export interface Listing {
  source: string;
  symbol: string;
}

export function reportReads(report: QualityReport, series: Listing & { id: number }): boolean {
  if (series.id === report.seriesId) return true;
  if (series.source === report.source && series.symbol === report.symbol) return true;
  return report.sources?.peers.some((p) => p.source === series.source && p.symbol === series.symbol) ?? false;
}
