/** A Store on a fresh SQLite file in a temporary folder; `close` closes it and removes the folder. */
import { afterEach, beforeEach } from 'vitest';
import { Store } from '../store/store.js';
import { tempDbPath } from './temp-db.js';
import type { BackendDatabases } from './backends.js';

export function openTempStore(): { store: Store; close: () => void } {
  const db = tempDbPath();
  const store = Store.open(db.file);
  return {
    store,
    close: () => {
      store.close();
      db.cleanup();
    },
  };
}

/**
 * A fresh temporary store for each test of the calling file; call once at its top level, or inside
 * `describeBackends` with its databases (a store on each backend).
 */
export function tempStorePerTest(databases?: BackendDatabases): () => Store {
  if (databases) {
    let store: Store | null = null;
    beforeEach(() => {
      store = databases.openStore();
    });
    return () => store!;
  }
  let opened: ReturnType<typeof openTempStore> | null = null;
  beforeEach(() => {
    opened = openTempStore();
  });
  afterEach(() => opened?.close());
  return () => opened!.store;
}
