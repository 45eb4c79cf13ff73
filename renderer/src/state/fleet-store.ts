/**
 * The fleet of collectors sharing the server's PostgreSQL database (null collectors: none). Fetched
 * while the overview shows it: heartbeats move every few seconds whether or not this process runs
 * an engine that pushes health.
 */
import { create } from 'zustand';
import type { FleetStatus } from '../../../shared/fleet';
import { bridge } from '../bridge';
import { snapshotLoader } from './snapshot-loader';

interface FleetState {
  status: FleetStatus | null;
  error: string | null;
}

export const useFleetStore = create<FleetState>()(() => ({ status: null, error: null }));

export const fleetSnapshot = snapshotLoader(
  async () => {
    try {
      useFleetStore.setState({ status: await bridge.invoke('fleet:status'), error: null });
    } catch (err) {
      useFleetStore.setState({ error: (err as Error).message });
    }
  },
  300,
  5_000,
);
