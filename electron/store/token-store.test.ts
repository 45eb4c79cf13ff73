/** Tokens on real SQLite and PostgreSQL: only hashes are stored, and a revoked token stops verifying at once. */
import { beforeEach, describe, expect, it } from 'vitest';
import { describeBackends } from '../test-support/backends.js';
import fs from 'node:fs';
import { tempStorePerTest } from '../test-support/temp-store.js';
import type { Store } from './store.js';

/** Everything the database holds of its tokens: the SQLite file's bytes, or every row of the table as text. */
function storedBytes(store: Store): string {
  if (store.dialect === 'postgres')
    return (store.db.prepare('SELECT t::text AS row FROM tokens t').all() as Array<{ row: string }>)
      .map((r) => r.row)
      .join('\n');
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  return fs.readFileSync(store.file).toString('latin1');
}

describeBackends('tokens', (databases) => {
  const storeOf = tempStorePerTest(databases);
  let store: Store;
  beforeEach(() => {
    store = storeOf();
  });

  describe('token store', () => {
    it('keeps only the hash: the token is nowhere in the database file, and verifies to its name and role', () => {
      const token = store.tokens.issue('laptop', 'read', 1_000);
      expect(token).toMatch(/^ck_[A-Za-z0-9_-]{43}$/);
      const bytes = storedBytes(store);
      expect(bytes).not.toContain(token);
      expect(bytes).not.toContain(token.slice(3));
      expect(store.tokens.verify(token, 2_000)).toMatchObject({ name: 'laptop', role: 'read' });
      expect(store.tokens.verify(`${token}x`, 2_000)).toBeNull();
      expect(store.tokens.list()).toEqual([{ name: 'laptop', role: 'read', createdAt: 1_000, lastUsedAt: 2_000 }]);
    });

    it('refuses a second token of one name, and revoking stops the token at once', () => {
      const token = store.tokens.issue('ci', 'admin', 1_000);
      expect(() => store.tokens.issue('ci', 'read', 1_000)).toThrow(/a token named 'ci' exists: revoke it first/);
      expect(store.tokens.revoke('ci')).toBe(true);
      expect(store.tokens.verify(token, 2_000)).toBeNull();
      expect(store.tokens.revoke('ci')).toBe(false);
    });

    it('two tokens issued alike differ', () => {
      expect(store.tokens.issue('a', 'read', 1)).not.toBe(store.tokens.issue('b', 'read', 1));
    });
  });
});
