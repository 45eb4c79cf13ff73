/** Options and helpers several commands share. */
import { defaultDatabasePath } from '../../store/app-paths.js';
import fs from 'node:fs';
import { Store } from '../../store/store.js';
import { isServerUrl } from '../../store/postgres/pg-open.js';
import type { CliIo } from '../io.js';
import type { Options } from '../args.js';

export const DB_OPTION: Options = { db: { type: 'string' } };

/** The database to open: --db (a file or a `postgres://` URL), else CANDLEKEEP_DATABASE_URL, else the data folder's file. */
export function dbPath(values: Record<string, unknown>, io: CliIo): string {
  if (typeof values.db === 'string' && values.db !== '') return values.db;
  return io.env.CANDLEKEEP_DATABASE_URL || defaultDatabasePath(io.env);
}

/** Whether there is a database to read at `target` (a server is asked when the store opens). */
export function databaseExists(target: string): boolean {
  return isServerUrl(target) || fs.existsSync(target);
}

/** Open the store for writing; refuses (with a one-line error) a file that is not a Candlekeep database. */
export function openStore(values: Record<string, unknown>, io: CliIo): Store {
  const store = Store.open(dbPath(values, io));
  if (store.readonly) {
    store.close();
    throw new Error(`${store.file} was written by a newer Candlekeep; upgrade Candlekeep to change it`);
  }
  return store;
}

/** The environment of a running engine, with live streams off when `--no-streams` was given (REST polling only). */
export function noStreams(values: Record<string, unknown>, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return values['no-streams'] ? { ...env, CANDLEKEEP_STREAMS: 'off' } : env;
}
