/** The dashboard's series state: the list from the engine and which one is selected. */
import { create } from 'zustand';
import type { SeriesSummary } from '../../../shared/domain';
import { bridge } from '../bridge';

interface SeriesState {
  series: SeriesSummary[];
  loaded: boolean;
  error: string | null;
  selectedId: number | null;
  /** Bumped when candles of the selected series change, so the chart refetches. */
  revision: number;
  load(): Promise<void>;
  select(id: number): void;
  candlesChanged(seriesId: number): void;
}

export const useSeriesStore = create<SeriesState>((set, get) => ({
  series: [],
  loaded: false,
  error: null,
  selectedId: null,
  revision: 0,
  async load() {
    try {
      const series = await bridge.invoke('series:list');
      const selected = get().selectedId;
      set({
        series,
        loaded: true,
        error: null,
        selectedId: selected !== null && series.some((s) => s.id === selected) ? selected : (series[0]?.id ?? null),
      });
    } catch (err) {
      set({ error: (err as Error).message, loaded: true });
    }
  },
  select(id) {
    set({ selectedId: id });
  },
  candlesChanged(seriesId) {
    if (seriesId === get().selectedId) set({ revision: get().revision + 1 });
  },
}));
