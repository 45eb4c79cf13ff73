/** A Store on a fresh SQLite file in a temporary folder; `close` closes it and removes the folder. */
import { Store } from '../store/store.js';
import { tempDbPath } from './temp-db.js';

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
