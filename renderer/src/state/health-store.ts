/** Source health and the engine's overall status: a snapshot at start, then pushed 'health:changed'. */
import { create } from 'zustand';
import type { AppInfo, EngineState } from '../../../shared/contract';
import type { EngineStatusView, OverallHealth, SourceHealth } from '../../../shared/health';
import { bridge } from '../bridge';
import { snapshotLoader } from './snapshot-loader';

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

const fail = (err: Error): void => useHealthStore.setState({ error: err.message });

/** The source tiles (cheap). */
export async function loadSources(): Promise<void> {
  await bridge
    .invoke('sources:health')
    .then((sources) => useHealthStore.setState({ sources, sourcesLoaded: true, error: null }), fail);
}

/** The engine's status: it counts every series' candles, so it costs about as much as 'series:list'. */
export async function loadStatus(): Promise<void> {
  await Promise.all([
    bridge.invoke('engine:status').then((status) => useHealthStore.setState({ status }), fail),
    useHealthStore.getState().app
      ? null
      : bridge.invoke('app:info').then((app) => useHealthStore.setState({ app }), fail),
  ]);
}

/**
 * Source tiles between the engine's health pushes (every ~10 s): a new series brings its source's
 * tile at once, and a finished job its fresh figures. Cheap on the engine side.
 */
export const sourcesSnapshot = snapshotLoader(
  async () => {
    try {
      useHealthStore.setState({ sources: await bridge.invoke('sources:health'), sourcesLoaded: true });
    } catch {
      // the next push or reconnect brings them
    }
  },
  500,
  3_000,
);

export function healthChanged(sources: SourceHealth[], status: EngineStatusView): void {
  useHealthStore.setState({ sources, sourcesLoaded: true, status, error: null });
}

/**
 * The overall state for the sidebar and the window title: the engine's, made worse at once by a
 * source tile that is (tiles may be fresher than the last status push).
 */
export function useOverallHealth(): OverallHealth | 'unknown' {
  return useHealthStore((s) => {
    if (s.sources.some((x) => x.status === 'down' || x.status === 'banned')) return 'down';
    const fromStatus = s.status?.health ?? 'unknown';
    if (fromStatus === 'ok' && s.sources.some((x) => x.status === 'degraded')) return 'degraded';
    return fromStatus;
  });
}

export function engineStateChanged(state: EngineState): void {
  useHealthStore.setState((s) => ({ status: s.status ? { ...s.status, state } : s.status }));
}

export function statusApplied(status: EngineStatusView): void {
  useHealthStore.setState({ status });
}
