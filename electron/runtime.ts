/**
 * Wiring of one running Candlekeep: the store, the event bus and the contract handlers, shared by
 * `serve`, `daemon`, `demo` and the Electron main process. No Electron import here.
 */
import { Store } from './store/store.js';
import { EventBus } from './server/event-bus.js';
import { createHandlers, type Handlers } from './server/api.js';
import { systemClock, type Clock } from './engine/clock.js';
import type { AppInfo } from '../shared/contract.js';
import { readFileSync } from 'node:fs';

export interface RuntimeOptions {
  dbPath: string;
  shell: AppInfo['shell'];
  clock?: Clock;
  env?: NodeJS.ProcessEnv;
}

export interface Runtime {
  store: Store;
  events: EventBus;
  handlers: Handlers;
  clock: Clock;
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export const APP_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export function createRuntime(options: RuntimeOptions): Runtime {
  const store = Store.open(options.dbPath);
  const events = new EventBus();
  const clock = options.clock ?? systemClock;
  const handlers = createHandlers({ store, info: { version: APP_VERSION, shell: options.shell, dbPath: store.file } });
  return {
    store,
    events,
    handlers,
    clock,
    env: options.env ?? process.env,
    async close() {
      store.close();
    },
  };
}
