/** The audit log on real SQLite and PostgreSQL: nothing rewrites it, and retention prunes only old rows, in batches. */
import { beforeEach, describe, expect, it } from 'vitest';
import { describeBackends } from '../test-support/backends.js';
import { tempStorePerTest } from '../test-support/temp-store.js';
import type { Store } from './store.js';
import { AuditRecorder } from '../audit/audit-recorder.js';

const DAY = 86_400_000;

const row = (ts: number, channel = 'series:pause') => ({
  ts,
  actor: 'dashboard',
  remote: '127.0.0.1',
  channel,
  args: { seriesId: 1 },
  outcome: 'ok' as const,
  reason: null,
});

describeBackends('audit log', (databases) => {
  const storeOf = tempStorePerTest(databases);
  let store: Store;
  beforeEach(() => {
    store = storeOf();
  });

  describe('audit store', () => {
    it('is append-only: updates and deletes of recent rows are refused by the database itself', () => {
      store.audit.append(row(Date.now()));
      expect(() => store.db.prepare("UPDATE audit SET outcome = 'error'").run()).toThrow(/append-only/);
      expect(() => store.db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
      expect(store.audit.list()).toHaveLength(1);
    });

    it('lists newest first, filtered by actor, channel, outcome and time', () => {
      const now = Date.now();
      store.audit.append(row(now - 3_000, 'series:add'));
      store.audit.append({ ...row(now - 2_000), actor: 'token:ci', outcome: 'refused', reason: 'wrong role: …' });
      store.audit.append(row(now - 1_000, 'series:remove'));
      expect(store.audit.list().map((r) => r.channel)).toEqual(['series:remove', 'series:pause', 'series:add']);
      expect(store.audit.list({ actor: 'token:ci' }).map((r) => r.outcome)).toEqual(['refused']);
      expect(store.audit.list({ since: now - 2_000 }).map((r) => r.channel)).toEqual(['series:remove', 'series:pause']);
      expect(store.audit.list({ outcome: 'ok', channel: 'series:add' })).toHaveLength(1);
    });

    it('prunes rows past the retention in settings, in batches, and keeps the rest', async () => {
      const now = Date.now();
      const insert = store.db.transaction(() => {
        for (let i = 0; i < 2_500; i++) store.audit.append(row(now - 400 * DAY + i));
        for (let i = 0; i < 10; i++) store.audit.append(row(now - 10 * DAY + i));
      });
      insert();
      const recorder = new AuditRecorder(store, { now: () => now, sleep: async () => undefined });
      expect(await recorder.prune()).toBe(2_500);
      expect(store.audit.list({ limit: 10_000 })).toHaveLength(10);
      store.settings.update({ audit: { retentionDays: 5 } }, now);
      expect(await recorder.prune()).toBe(10);
    });

    it('records arguments with secrets redacted, however deep', () => {
      const recorder = new AuditRecorder(store, { now: () => 1, sleep: async () => undefined });
      recorder.record({
        actor: 'desktop',
        remote: 'ipc',
        channel: 'keys:set',
        args: { name: 'coingecko.apiKey', value: 'CG-123' },
        outcome: 'ok',
      });
      recorder.record({
        actor: 'desktop',
        remote: 'ipc',
        channel: 'settings:update',
        args: { patch: { alerts: { webhookUrl: 'https://hooks.slack.com/services/T/B/x' } } },
        outcome: 'ok',
      });
      expect(store.audit.list().map((r) => r.args)).toEqual([
        { patch: { alerts: { webhookUrl: '[redacted]' } } },
        { name: 'coingecko.apiKey', value: '[redacted]' },
      ]);
    });
  });
});
