/** Settings, API keys (write-only: never returned), events, alerts and the data folder. */
import fs from 'node:fs';
import path from 'node:path';
import type { ApiContext } from './context.js';
import type { Handlers } from '../api.js';
import { clearKey, setKey, updateSettings } from '../../app/settings-operations.js';
import type { KeyStatus } from '../../../shared/settings.js';

type SettingsHandlers = Pick<
  Handlers,
  | 'settings:get'
  | 'settings:update'
  | 'keys:status'
  | 'keys:set'
  | 'keys:clear'
  | 'events:list'
  | 'alerts:active'
  | 'data:info'
>;

/** The keys sources can use; a key is named `<source>.<what>`. */
export const KNOWN_KEYS = ['coingecko.apiKey', 'coingecko.proApiKey'];

export function settingsHandlers(ctx: ApiContext): SettingsHandlers {
  const keys = (): KeyStatus[] => {
    const set = new Map(ctx.secrets.list().map((s) => [s.name, s.updatedAt]));
    const names = [...new Set([...KNOWN_KEYS, ...set.keys()])].sort();
    return names.map((name) => ({
      name,
      set: set.has(name),
      updatedAt: set.get(name) ?? null,
      protection: ctx.secrets.protection(),
    }));
  };
  return {
    'settings:get': () => ctx.store.settings.get(),
    'settings:update': ({ patch }) => {
      const settings = updateSettings(ctx, patch);
      ctx.settingsChanged();
      ctx.events.emit('settings:changed', { settings });
      return settings;
    },
    'keys:status': keys,
    'keys:set': ({ name, value }) => {
      setKey(ctx, name, value);
      ctx.settingsChanged();
      return keys();
    },
    'keys:clear': ({ name }) => {
      clearKey(ctx, name);
      ctx.settingsChanged();
      return keys();
    },
    'events:list': (query) => ctx.store.events.list(query),
    'alerts:active': () => ctx.alerts.list(),
    'data:info': () => {
      const file = ctx.store.file;
      if (ctx.store.dialect === 'postgres') {
        // The database lives on the server: its size as PostgreSQL counts it, its disk not ours to see.
        const { n } = ctx.store.db.prepare('SELECT pg_database_size(current_database()) AS n').get() as { n: number };
        return { path: file, databaseFile: file, sizeBytes: n, freeBytes: null };
      }
      const size = ['', '-wal', '-shm'].reduce(
        (n, suffix) => n + (fs.existsSync(file + suffix) ? fs.statSync(file + suffix).size : 0),
        0,
      );
      let free: number | null = null;
      try {
        const stat = fs.statfsSync(path.dirname(file));
        free = stat.bavail * stat.bsize;
      } catch {
        free = null;
      }
      return { path: path.dirname(file), databaseFile: file, sizeBytes: size, freeBytes: free };
    },
  };
}
