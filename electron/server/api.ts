/**
 * The contract's handlers, once, for every transport (IPC, HTTP, WebSocket). `dispatch` takes an
 * untrusted channel name and arguments, validates them with the channel's schema, and answers an
 * envelope: `{ result }` or `{ error: { name, message } }` (DESIGN.md "Errors cross the bridge as data").
 */
import type { ApiContract, AppInfo, ArgsOf, Channel, Envelope, ResultOf } from '../../shared/contract.js';
import { channelArgs } from '../../shared/schemas.js';
import type { Store } from '../store/store.js';
import { bucketsFor } from './chart-buckets.js';
import { ApiError } from './api-error.js';

export type Handlers = { [C in Channel]: (args: ArgsOf<C>) => ResultOf<C> | Promise<ResultOf<C>> };

export interface ApiContext {
  store: Store;
  info: AppInfo;
}

export function createHandlers(ctx: ApiContext): Handlers {
  return {
    'app:info': () => ctx.info,
    'series:list': () => ctx.store.series.summaries(),
    'candles:buckets': (args) => bucketsFor(ctx.store, args),
  };
}

export function isChannel(name: string, handlers: Handlers): name is Channel {
  return Object.prototype.hasOwnProperty.call(handlers, name);
}

export async function dispatch(handlers: Handlers, channel: string, rawArgs: unknown): Promise<Envelope<unknown>> {
  try {
    if (!isChannel(channel, handlers)) throw new ApiError(`unknown method '${channel}'`);
    const parsed = channelArgs[channel].safeParse(rawArgs ?? undefined);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      throw new ApiError(`invalid arguments for ${channel}: ${where}${issue?.message ?? 'bad input'}`);
    }
    const handler = handlers[channel] as (args: unknown) => unknown;
    return { result: await handler(parsed.data) };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { error: { name: e.name, message: e.message } };
  }
}

/** Compile-time check that handlers cover the contract exactly. */
export type _HandlersMatchContract = Handlers extends { [C in keyof ApiContract]: unknown } ? true : never;
