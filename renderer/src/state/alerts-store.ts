/** Active alerts: 'alerts:active' at start, then pushed 'alert:raised' / 'alert:cleared'. */
import { create } from 'zustand';
import type { Alert } from '../../../shared/health';
import { bridge } from '../bridge';

interface AlertsState {
  alerts: Alert[];
  loaded: boolean;
}

export const useAlertsStore = create<AlertsState>()(() => ({ alerts: [], loaded: false }));

export async function loadAlerts(): Promise<void> {
  try {
    useAlertsStore.setState({ alerts: await bridge.invoke('alerts:active'), loaded: true });
  } catch {
    useAlertsStore.setState({ loaded: true });
  }
}

export function alertRaised(alert: Alert): void {
  useAlertsStore.setState((s) => ({ alerts: [...s.alerts.filter((a) => a.id !== alert.id), alert] }));
}

export function alertCleared(alert: Alert): void {
  useAlertsStore.setState((s) => ({ alerts: s.alerts.filter((a) => a.id !== alert.id) }));
}
