/**
 * Dispatch for the desktop-only channels, the twin of `dispatch()` in server/api.ts: arguments are
 * `unknown` until the channel's schema narrows them, and errors come back as data envelopes.
 */
import type { Envelope } from '../../shared/contract.js';
import type { DesktopArgsOf, DesktopChannel, DesktopResultOf } from '../../shared/desktop-contract.js';
import { desktopChannelArgs } from '../../shared/desktop-schemas.js';
import type { BrowserWindowLike } from './electron-api.js';

/** Who asked, for handlers that show a dialog in front of the asking window. */
export interface DesktopCallContext {
  window: BrowserWindowLike | null;
}

export type DesktopHandlers = {
  [C in DesktopChannel]: (
    args: DesktopArgsOf<C>,
    context: DesktopCallContext,
  ) => DesktopResultOf<C> | Promise<DesktopResultOf<C>>;
};

export function isDesktopChannel(name: string): name is DesktopChannel {
  return Object.prototype.hasOwnProperty.call(desktopChannelArgs, name);
}

export async function dispatchDesktop(
  handlers: DesktopHandlers,
  channel: DesktopChannel,
  rawArgs: unknown,
  context: DesktopCallContext,
): Promise<Envelope<unknown>> {
  try {
    const parsed = desktopChannelArgs[channel].safeParse(rawArgs ?? undefined);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      // Never echo the received value: for secrets:set it is an API key.
      throw Object.assign(new Error(`invalid arguments for ${channel}: ${where}${issue?.message ?? 'bad input'}`), {
        name: 'ApiError',
      });
    }
    const handler = handlers[channel] as (args: unknown, context: DesktopCallContext) => unknown;
    return { result: await handler(parsed.data, context) };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { error: { name: e.name, message: e.message } };
  }
}
