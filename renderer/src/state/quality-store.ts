/**
 * Data-quality reports ('quality:report'), fetched only for what is on screen: every series while
 * the Quality page is open, one series while its page is. A report runs the engine's checks first,
 * so it costs more than a snapshot: pushed events mark the reports they can change, and the marked
 * ones that someone watches are fetched again together, debounced. Nothing is polled.
 */
import { useEffect } from 'react';
import { create } from 'zustand';
import type { QualityReport } from '../../../shared/quality';
import { bridge } from '../bridge';
import { reportReads } from '../view/quality-scope';
import { snapshotLoader } from './snapshot-loader';
import { useSeriesStore } from './series-store';

interface QualityState {
  reports: Record<number, QualityReport>;
  /** Every series' report has arrived at least once (the Quality page's list is complete). */
  allLoaded: boolean;
  error: string | null;
}

export const useQualityStore = create<QualityState>()(() => ({ reports: {}, allLoaded: false, error: null }));

/** How many pages watch every report, and each series' report. */
let allWatchers = 0;
const seriesWatchers = new Map<number, number>();
/** Reports to fetch again ('all' once the whole list is due). */
const due = new Set<number>();
let allDue = false;

async function fetchDue(): Promise<void> {
  const everything = allWatchers > 0 && (allDue || due.size > 0);
  const ids = [...due].filter((id) => seriesWatchers.has(id));
  allDue = false;
  due.clear();
  if (!everything && !ids.length) return;
  try {
    const fresh = await bridge.invoke('quality:report', everything ? {} : { seriesIds: ids });
    useQualityStore.setState((s) => {
      // The whole list replaces the map, so a removed series leaves it.
      const reports = everything ? {} : { ...s.reports };
      for (const r of fresh) reports[r.seriesId] = r;
      return { reports, allLoaded: s.allLoaded || everything, error: null };
    });
  } catch (err) {
    useQualityStore.setState({ error: (err as Error).message });
  }
}

/** A burst of candles (a backfill stores a window a second) becomes one report every few seconds. */
const qualityLoader = snapshotLoader(fetchDue, 1_500, 8_000);

/** Something about series `seriesId` changed: the reports that read it are due (null: every one). */
export function qualityTouched(seriesId: number | null): void {
  if (seriesId === null) {
    allDue = true;
    for (const id of seriesWatchers.keys()) due.add(id);
  } else {
    const touched = useSeriesStore.getState().series.find((s) => s.id === seriesId);
    const { reports } = useQualityStore.getState();
    if (allWatchers > 0) due.add(seriesId);
    for (const id of seriesWatchers.keys()) {
      const report = reports[id];
      if (id === seriesId || (touched && report && reportReads(report, touched))) due.add(id);
    }
  }
  if (allDue || due.size) qualityLoader.soon();
}

/** Fetch every watched report again (after a lost connection: pushes were missed meanwhile). */
export function refreshQuality(): Promise<void> {
  allDue = allWatchers > 0;
  for (const id of seriesWatchers.keys()) due.add(id);
  return qualityLoader.now();
}

export function cancelQuality(): void {
  qualityLoader.cancel();
}

/** Every series' report, kept fresh while the calling component is mounted. */
export function useAllQuality(): void {
  useEffect(() => {
    allWatchers++;
    allDue = true;
    void qualityLoader.now();
    return () => {
      allWatchers--;
    };
  }, []);
}

/** One series' report, kept fresh while the calling component is mounted. */
export function useQualityReport(seriesId: number): QualityReport | null {
  useEffect(() => {
    seriesWatchers.set(seriesId, (seriesWatchers.get(seriesId) ?? 0) + 1);
    due.add(seriesId);
    void qualityLoader.now();
    return () => {
      const left = (seriesWatchers.get(seriesId) ?? 1) - 1;
      if (left > 0) seriesWatchers.set(seriesId, left);
      else seriesWatchers.delete(seriesId);
    };
  }, [seriesId]);
  return useQualityStore((s) => s.reports[seriesId] ?? null);
}
