/** Alert rules (on/off and threshold) and the webhook every alert is also sent to. */
import { useState } from 'react';
import type { AlertKind, AlertRule } from '../../../../shared/health';
import type { Settings } from '../../../../shared/settings';
import { updateSettings } from '../../state/settings-store';
import { SettingsSection } from './SettingsSection';

const RULE: Record<AlertKind, { label: string; unit: string }> = {
  source_down: { label: 'A source is down', unit: 'minutes' },
  series_stale: { label: 'A series falls behind', unit: 'candles' },
  hole_unrepairable: { label: 'A hole cannot be repaired', unit: 'attempts' },
  ban: { label: 'A source bans this IP', unit: 'bans' },
  disk_full: { label: 'Disk space runs low', unit: 'MB free' },
  slo_missed: { label: 'An SLO misses its target', unit: 'hours (24 or 168)' },
};

export function AlertSettings({ settings }: { settings: Settings }) {
  const [rules, setRules] = useState<AlertRule[]>(settings.alerts.rules);
  const [webhook, setWebhook] = useState(settings.alerts.webhookUrl ?? '');
  const next = { rules, webhookUrl: webhook.trim() || null };
  const dirty = JSON.stringify(next) !== JSON.stringify(settings.alerts);
  const patch = (kind: AlertKind, change: Partial<AlertRule>): void =>
    setRules(rules.map((r) => (r.kind === kind ? { ...r, ...change } : r)));
  return (
    <SettingsSection
      title="Alerts"
      description="Raised once when a rule starts to hold, cleared when it stops."
      dirty={dirty}
      onSave={() => updateSettings({ alerts: next }).then(() => undefined)}
      testId="settings-alerts"
    >
      <table className="grid rules">
        <thead>
          <tr>
            <th>On</th>
            <th>When</th>
            <th>Threshold</th>
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => (
            <tr key={r.kind}>
              <td>
                <input
                  type="checkbox"
                  checked={r.enabled}
                  onChange={(e) => patch(r.kind, { enabled: e.target.checked })}
                  aria-label={`Enable: ${RULE[r.kind]?.label ?? r.kind}`}
                />
              </td>
              <td>{RULE[r.kind]?.label ?? r.kind}</td>
              <td>
                <input
                  type="number"
                  min={0}
                  value={r.threshold}
                  disabled={!r.enabled}
                  onChange={(e) => patch(r.kind, { threshold: Number(e.target.value) })}
                  aria-label={`Threshold for ${RULE[r.kind]?.label ?? r.kind}`}
                />{' '}
                <span className="small muted">{RULE[r.kind]?.unit}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <label className="field">
        Webhook URL (JSON POST for every alert raised or resolved; empty for none)
        <input
          type="url"
          value={webhook}
          placeholder="https://hooks.example.com/candlekeep"
          onChange={(e) => setWebhook(e.target.value)}
          spellCheck={false}
        />
      </label>
    </SettingsSection>
  );
}
