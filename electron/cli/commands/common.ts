/** Options and helpers several commands share. */
import { defaultDatabasePath } from '../../store/app-paths.js';
import { Store } from '../../store/store.js';
import type { CliIo } from '../io.js';
import type { Options } from '../args.js';

export const DB_OPTION: Options = { db: { type: 'string' } };

export function dbPath(values: Record<string, unknown>, io: CliIo): string {
  return typeof values.db === 'string' && values.db !== '' ? values.db : defaultDatabasePath(io.env);
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
