/** Source health and the engine's overall status: a snapshot at start, then pushed 'health:changed'. */
import { create } from 'zustand';
import type { AppInfo, EngineState } from '../../../shared/contract';
import type { EngineStatusView, SourceHealth } from '../../../shared/health';
import { bridge } from '../bridge';

interface HealthState {
  sources: SourceHealth[];
  sourcesLoaded: boolean;
  status: EngineStatusView | null;
  app: AppInfo | null;
  error: string | null;
}

export const useHealthStore = create<HealthState>()(() => ({
  sources: [],
  sourcesLoaded: false,
  status: null,
  app: null,
  error: null,
}));

/** Tiles and status load independently: the status costs more on a big database. */
export async function loadHealth(): Promise<void> {
  const fail = (err: Error): void => useHealthStore.setState({ error: err.message });
  await Promise.all([
    bridge.invoke('sources:health').then((sources) => useHealthStore.setState({ sources, sourcesLoaded: true, error: null }), fail),
    bridge.invoke('engine:status').then((status) => useHealthStore.setState({ status }), fail),
    useHealthStore.getState().app ? null : bridge.invoke('app:info').then((app) => useHealthStore.setState({ app }), fail),
  ]);
}

export function healthChanged(sources: SourceHealth[], status: EngineStatusView): void {
  useHealthStore.setState({ sources, sourcesLoaded: true, status, error: null });
}

export function engineStateChanged(state: EngineState): void {
  useHealthStore.setState((s) => ({ status: s.status ? { ...s.status, state } : s.status }));
}

export function statusApplied(status: EngineStatusView): void {
  useHealthStore.setState({ status });
}
