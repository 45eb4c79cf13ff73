/** The engine's settings, API keys, the data folder, and desktop options where the shell has them. */
import { useSettingsStore } from '../state/settings-store';
import { SourceSettings } from '../components/settings/SourceSettings';
import { KeySettings } from '../components/settings/KeySettings';
import { DefaultsSettings } from '../components/settings/DefaultsSettings';
import { AlertSettings } from '../components/settings/AlertSettings';
import { DataFolder } from '../components/settings/DataFolder';
import { DesktopSettings } from '../components/settings/DesktopSettings';
import { AuditSettings } from '../components/settings/AuditSettings';

export function SettingsPage() {
  const settings = useSettingsStore((s) => s.settings);
  const error = useSettingsStore((s) => s.error);
  // Each section is keyed by the settings it edits: a change (from any front) resets its draft.
  const key = (part: unknown): string => JSON.stringify(part);
  return (
    <main className="page" data-testid="settings-page">
      <div className="page-header">
        <h1>Settings</h1>
      </div>
      {error && (
        <p className="notice" data-tone="bad" role="alert">
          {error}
        </p>
      )}
      {!settings ? (
        <p className="muted">Loading…</p>
      ) : (
        <div className="two-col">
          <div>
            <SourceSettings key={key(settings.sources)} settings={settings} />
            <AlertSettings key={key(settings.alerts)} settings={settings} />
            <DefaultsSettings key={key([settings.seriesDefaults, settings.sweepCron])} settings={settings} />
          </div>
          <div>
            <KeySettings />
            <DataFolder />
            <AuditSettings key={key(settings.audit)} settings={settings} />
            <DesktopSettings />
          </div>
        </div>
      )}
    </main>
  );
}
