/**
 * Health over time for the overview: every source's last 60 minutes and the SLOs. Fetched when the
 * overview opens and again after the engine's health pushes (coalesced), never on a timer of its own.
 */
import { create } from 'zustand';
import type { HistoryOverview, SourceHeartbeat } from '../../../shared/history';
import { bridge } from '../bridge';
import { snapshotLoader } from './snapshot-loader';

interface HistoryState {
  overview: HistoryOverview | null;
  error: string | null;
}

export const useHistoryStore = create<HistoryState>()(() => ({ overview: null, error: null }));

export const historySnapshot = snapshotLoader(
  async () => {
    try {
      useHistoryStore.setState({ overview: await bridge.invoke('history:overview'), error: null });
    } catch (err) {
      useHistoryStore.setState({ error: (err as Error).message });
    }
  },
  1_000,
  10_000,
);

export function useHeartbeat(source: string): SourceHeartbeat | null {
  return useHistoryStore((s) => s.overview?.heartbeats.find((h) => h.source === source) ?? null);
}
