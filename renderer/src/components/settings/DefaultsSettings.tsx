/** What a new series starts with, and when the full gap sweep runs. */
import { useState } from 'react';
import type { Settings } from '../../../../shared/settings';
import type { Timeframe } from '../../../../shared/timeframe';
import { updateSettings, useSettingsStore } from '../../state/settings-store';
import { timeframesOf } from '../SeriesKeyFields';
import { SettingsSection } from './SettingsSection';

export function DefaultsSettings({ settings }: { settings: Settings }) {
  const catalog = useSettingsStore((s) => s.catalog);
  const [source, setSource] = useState(settings.seriesDefaults.source);
  const [timeframe, setTimeframe] = useState<Timeframe>(settings.seriesDefaults.timeframe);
  const [keepDays, setKeepDays] = useState(String(settings.seriesDefaults.keepDays));
  const [cron, setCron] = useState(settings.sweepCron);
  const defaults = { source, timeframe, keepDays: Math.round(Number(keepDays)) };
  const dirty = JSON.stringify(defaults) !== JSON.stringify(settings.seriesDefaults) || cron !== settings.sweepCron;
  return (
    <SettingsSection
      title="Series defaults and sweeps"
      description="Pre-filled when adding a series; the sweep re-checks every series for holes."
      dirty={dirty}
      onSave={() => updateSettings({ seriesDefaults: defaults, sweepCron: cron }).then(() => undefined)}
      testId="settings-defaults"
    >
      <div className="settings-grid">
        <label className="field">
          Source
          <select value={source} onChange={(e) => setSource(e.target.value)}>
            {[...new Set([source, ...catalog.map((s) => s.id)])].map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Timeframe
          <select value={timeframe} onChange={(e) => setTimeframe(e.target.value as Timeframe)}>
            {timeframesOf(source, catalog).map((tf) => (
              <option key={tf} value={tf}>
                {tf}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Keep history (days)
          <input type="number" min={1} max={36500} value={keepDays} onChange={(e) => setKeepDays(e.target.value)} />
        </label>
        <label className="field">
          Full gap sweep (cron, UTC)
          <input value={cron} onChange={(e) => setCron(e.target.value)} spellCheck={false} />
        </label>
      </div>
    </SettingsSection>
  );
}
