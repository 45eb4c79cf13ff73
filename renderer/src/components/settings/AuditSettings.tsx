/** How long the audit log keeps its rows (older ones are pruned in the background). */
import { useState } from 'react';
import type { Settings } from '../../../../shared/settings';
import { updateSettings } from '../../state/settings-store';
import { SettingsSection } from './SettingsSection';

export function AuditSettings({ settings }: { settings: Settings }) {
  const [days, setDays] = useState(String(settings.audit.retentionDays));
  const retentionDays = Math.round(Number(days));
  return (
    <SettingsSection
      title="Audit log"
      description="Every change and refused attempt is recorded; rows older than this are pruned."
      dirty={retentionDays !== settings.audit.retentionDays}
      onSave={() => updateSettings({ audit: { retentionDays } }).then(() => undefined)}
      testId="settings-audit"
    >
      <label className="field">
        Keep audit rows (days)
        <input type="number" min={1} max={36500} value={days} onChange={(e) => setDays(e.target.value)} />
      </label>
    </SettingsSection>
  );
}
