/**
 * The series snapshot ('series:list': freshness, completeness, holes) and, per series, a revision
 * bumped when its candles or holes change, so only that series' gap map and chart re-fetch.
 */
import { create } from 'zustand';
import type { SeriesView } from '../../../shared/contract';
import { bridge } from '../bridge';
import { snapshotLoader } from './snapshot-loader';

interface SeriesState {
  series: SeriesView[];
  loaded: boolean;
  error: string | null;
  revisions: Record<number, number>;
  /** Replace one series row right away (after a pause, resume or add), before the next snapshot. */
  patch(series: Partial<SeriesView> & { id: number }): void;
  remove(seriesId: number): void;
}

export const useSeriesStore = create<SeriesState>()((set) => ({
  series: [],
  loaded: false,
  error: null,
  revisions: {},
  patch(row) {
    set((s) => ({ series: s.series.map((x) => (x.id === row.id ? { ...x, ...row } : x)) }));
  },
  remove(seriesId) {
    set((s) => ({ series: s.series.filter((x) => x.id !== seriesId) }));
  },
}));

export const seriesSnapshot = snapshotLoader(
  async () => {
    try {
      const series = await bridge.invoke('series:list');
      if (!useSeriesStore.getState().loaded) performance.mark('candlekeep:series-list');
      useSeriesStore.setState({ series, loaded: true, error: null });
    } catch (err) {
      useSeriesStore.setState({ loaded: true, error: (err as Error).message });
    }
  },
  400,
  2_500,
);

/** Candles of a series changed: bump its revision, at most every `REVISION_MS` per series. */
const REVISION_MS = 1_000;
const pendingRevisions = new Map<number, ReturnType<typeof setTimeout>>();

export function seriesTouched(seriesId: number): void {
  if (pendingRevisions.has(seriesId)) return;
  pendingRevisions.set(
    seriesId,
    setTimeout(() => {
      pendingRevisions.delete(seriesId);
      useSeriesStore.setState((s) => ({ revisions: { ...s.revisions, [seriesId]: (s.revisions[seriesId] ?? 0) + 1 } }));
    }, REVISION_MS),
  );
}

export function useSeriesView(seriesId: number | null): SeriesView | null {
  return useSeriesStore((s) => (seriesId === null ? null : (s.series.find((x) => x.id === seriesId) ?? null)));
}

export function useRevision(seriesId: number): number {
  return useSeriesStore((s) => s.revisions[seriesId] ?? 0);
}

export function seriesLabel(s: { source: string; symbol: string; timeframe: string }): string {
  return `${s.symbol} ${s.timeframe} · ${s.source}`;
}
