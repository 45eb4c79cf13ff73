/**
 * Start at login and notifications: only the desktop shell can do these, so this section exists only
 * where its channels answer (hidden in a browser against `candlekeep serve`).
 */
import { useEffect, useState } from 'react';
import type { DesktopSettingsView } from '../../../../shared/desktop-contract';
import { desktop } from '../../desktop';
import { SettingsSection } from './SettingsSection';

export function DesktopSettings() {
  const [view, setView] = useState<DesktopSettingsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    // An older shell without these channels simply shows no section.
    desktop?.invoke('desktop:get-settings').then(setView, () => setView(null));
  }, []);
  if (!desktop || !view) return null;
  const update = (patch: { startAtLogin?: boolean; muteNotifications?: boolean }): void => {
    desktop!.invoke('desktop:update-settings', patch).then(
      (v) => (setView(v), setError(null)),
      (err: Error) => setError(err.message),
    );
  };
  return (
    <SettingsSection
      title="Desktop"
      description="Closing the window keeps Candlekeep collecting in the tray; quit from the tray menu."
      testId="settings-desktop"
    >
      <label className="check">
        <input
          type="checkbox"
          checked={view.startAtLogin}
          onChange={(e) => update({ startAtLogin: e.target.checked })}
        />{' '}
        Start Candlekeep at login (in the tray)
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={view.muteNotifications}
          onChange={(e) => update({ muteNotifications: e.target.checked })}
        />{' '}
        Mute alert notifications
      </label>
      {error && <p className="error-text small">{error}</p>}
    </SettingsSection>
  );
}
