/**
 * The contract's handlers, once, for every transport (IPC, HTTP, WebSocket). `dispatch` takes an
 * untrusted channel name and arguments, validates them with the channel's schema, and answers an
 * envelope: `{ result }` or `{ error: { name, message } }` (docs/ARCHITECTURE.md "Fronts and the
 * contract"): errors travel as data, and each client rethrows them.
 */
import type { ApiContract, ArgsOf, Channel, Envelope, ResultOf } from '../../shared/contract.js';
import { channelArgs } from '../../shared/schemas.js';
import { ApiError } from './api-error.js';
import type { ApiContext } from './handlers/context.js';
import type { Caller } from './caller.js';
import { seriesHandlers } from './handlers/series-handlers.js';
import { engineHandlers } from './handlers/engine-handlers.js';
import { sourceHandlers } from './handlers/source-handlers.js';
import { fleetHandlers } from './handlers/fleet-handlers.js';
import { settingsHandlers } from './handlers/settings-handlers.js';
import { exportHandlers } from './handlers/export-handlers.js';
import { qualityHandlers } from './handlers/quality-handlers.js';
import { historyHandlers } from './handlers/history-handlers.js';

export type { ApiContext } from './handlers/context.js';
/** A handler may look at who calls (`session:info`); the role check happens before, in guarded-dispatch. */
export type Handlers = { [C in Channel]: (args: ArgsOf<C>, caller: Caller) => ResultOf<C> | Promise<ResultOf<C>> };

export function createHandlers(ctx: ApiContext): Handlers {
  return {
    'app:info': () => ctx.info,
    ...seriesHandlers(ctx),
    ...engineHandlers(ctx),
    ...sourceHandlers(ctx),
    ...fleetHandlers(ctx),
    ...settingsHandlers(ctx),
    ...exportHandlers(ctx),
    ...qualityHandlers(ctx),
    ...historyHandlers(ctx),
    'session:info': (_args, caller) => ({ actor: caller.actor, role: caller.role }),
    'audit:list': (query) => ctx.store.audit.list(query),
  };
}

export function isChannel(name: string, handlers: Handlers): name is Channel {
  return Object.prototype.hasOwnProperty.call(handlers, name);
}

export async function dispatch(
  handlers: Handlers,
  channel: string,
  rawArgs: unknown,
  caller: Caller,
): Promise<Envelope<unknown>> {
  try {
    if (!isChannel(channel, handlers)) throw new ApiError(`unknown method '${channel}'`);
    const parsed = channelArgs[channel].safeParse(rawArgs ?? undefined);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      throw new ApiError(`invalid arguments for ${channel}: ${where}${issue?.message ?? 'bad input'}`);
    }
    const handler = handlers[channel] as (args: unknown, caller: Caller) => unknown;
    return { result: await handler(parsed.data, caller) };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    // Only the first line crosses: no stack, no internals (paths and keys stay inside).
    return { error: { name: e.name, message: e.message.split('\n')[0]!.slice(0, 500) } };
  }
}

/** Compile-time check that handlers cover the contract exactly. */
export type _HandlersMatchContract = Handlers extends { [C in keyof ApiContract]: unknown } ? true : never;
