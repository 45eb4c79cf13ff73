/** Settings saved by an older Candlekeep meet newer alert rules: the new kinds appear with their defaults, the saved ones stay as saved. */
import { describe, expect, it } from 'vitest';
import { describeBackends } from '../test-support/backends.js';
import { tempStorePerTest } from '../test-support/temp-store.js';

describeBackends('settings', (databases) => {
  const store = tempStorePerTest(databases);

  describe('settings and newer alert rules', () => {
    it('adds a rule kind the saved settings predate, off, and keeps every saved rule as it was', () => {
      const saved = [
        { kind: 'source_down', enabled: false, threshold: 9 },
        { kind: 'series_stale', enabled: true, threshold: 3 },
      ];
      store()
        .db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 0)')
        .run('settings', JSON.stringify({ alerts: { rules: saved, webhookUrl: null } }));
      const rules = store().settings.get().alerts.rules;
      expect(rules.slice(0, 2)).toEqual(saved);
      expect(rules.find((r) => r.kind === 'slo_missed')).toEqual({ kind: 'slo_missed', enabled: false, threshold: 24 });
      expect(rules.map((r) => r.kind)).toEqual([
        'source_down',
        'series_stale',
        'hole_unrepairable',
        'ban',
        'disk_full',
        'slo_missed',
      ]);
    });
  });
});
