/** The engine's settings ('settings:get', pushed 'settings:changed') and the source catalog ('sources:list'). */
import { create } from 'zustand';
import type { SettingsPatch, SourceInfo } from '../../../shared/contract';
import type { Settings } from '../../../shared/settings';
import { bridge } from '../bridge';

interface SettingsState {
  settings: Settings | null;
  catalog: SourceInfo[];
  catalogError: string | null;
  error: string | null;
}

export const useSettingsStore = create<SettingsState>()(() => ({
  settings: null,
  catalog: [],
  catalogError: null,
  error: null,
}));

export async function loadSettings(): Promise<void> {
  await Promise.all([
    bridge.invoke('settings:get').then(
      (settings) => useSettingsStore.setState({ settings, error: null }),
      (err: Error) => useSettingsStore.setState({ error: err.message }),
    ),
    useSettingsStore.getState().catalog.length
      ? null
      : bridge.invoke('sources:list').then(
          (catalog) => useSettingsStore.setState({ catalog, catalogError: null }),
          (err: Error) => useSettingsStore.setState({ catalogError: err.message }),
        ),
  ]);
}

export function settingsChanged(settings: Settings): void {
  useSettingsStore.setState({ settings });
}

/** Save a section; the answer (and the pushed event) replace the settings; errors are thrown to the form. */
export async function updateSettings(patch: SettingsPatch): Promise<Settings> {
  const settings = await bridge.invoke('settings:update', { patch });
  useSettingsStore.setState({ settings });
  return settings;
}

/** How many candles behind counts as stale: the user's alert rule, else the engine's default. */
export function useStaleThreshold(): number {
  return useSettingsStore(
    (s) => s.settings?.alerts.rules.find((r) => r.kind === 'series_stale' && r.enabled)?.threshold ?? 3,
  );
}
