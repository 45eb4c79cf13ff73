/**
 * The engine contract (and the desktop-only channels) over Electron IPC. One ipcMain handler for
 * every call: it refuses any sender that is not our dashboard (Electron security recommendation "Validate the
 * sender of all IPC messages") before looking at the request, then dispatches with schema validation as
 * an admin whose changes go to the audit log.
 * Engine events are pushed to the trusted dashboard windows only.
 */
import type { Handlers } from '../server/api.js';
import { callChannel, recordChange } from '../server/guarded-dispatch.js';
import { DESKTOP_CALLER } from '../server/caller.js';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import type { EventBus } from '../../shared/event-bus.js';
import { subscribePaced } from '../server/push-pacer.js';
import type { Envelope } from '../../shared/contract.js';
import { DESKTOP_CHANNEL_CHANGES, type DesktopEventMap, type DesktopEventName } from '../../shared/desktop-contract.js';
import {
  dispatchDesktop,
  isDesktopChannel,
  type DesktopCallContext,
  type DesktopHandlers,
} from './desktop-dispatch.js';
import type { IpcInvokeEventLike, IpcMainLike, WebContentsLike } from './electron-api.js';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './ipc-channels.js';

export interface IpcBindingOptions {
  ipcMain: IpcMainLike;
  api: Handlers;
  /** Where the dashboard's changes are recorded (actor `desktop`). */
  audit: AuditRecorder;
  desktop: DesktopHandlers;
  events: EventBus;
  /** The sender check; see shell/security.ts isTrustedSender. */
  isTrustedSender: (event: IpcInvokeEventLike) => boolean;
  /** Where events go: the dashboard's webContents while it exists. */
  targets: () => WebContentsLike[];
  /** The window a call came from, for dialogs. */
  contextFor: (event: IpcInvokeEventLike) => DesktopCallContext;
}

export interface IpcBinding {
  /** Push a desktop event (e.g. navigate after a notification click) to the dashboard. */
  emitDesktop<E extends DesktopEventName>(event: E, payload: DesktopEventMap[E]): void;
  dispose(): void;
}

const FOREIGN_SENDER_MESSAGE = 'IPC refused: the sender is not the Candlekeep dashboard';

export const FOREIGN_SENDER: Envelope<never> = {
  error: { name: 'ForbiddenError', message: FOREIGN_SENDER_MESSAGE },
};

/**
 * The contract's values are JSON (the WebSocket's encoding). IPC's structured clone would keep what
 * JSON drops or changes (undefined fields, Dates, NaN), and the dashboard would see a different
 * answer in the app than in a browser: send the JSON value on IPC too.
 */
function asJson(envelope: Envelope<unknown>): Envelope<unknown> {
  return JSON.parse(JSON.stringify(envelope)) as Envelope<unknown>;
}

export function bindIpc(options: IpcBindingOptions): IpcBinding {
  const { ipcMain } = options;

  ipcMain.handle(INVOKE_CHANNEL, async (event, channel, args) => {
    if (!options.isTrustedSender(event)) {
      options.audit.record({
        actor: 'anonymous',
        remote: 'ipc',
        channel: typeof channel === 'string' ? channel.slice(0, 100) : 'ipc',
        outcome: 'refused',
        reason: `foreign sender: ${FOREIGN_SENDER_MESSAGE}`,
      });
      return FOREIGN_SENDER;
    }
    if (typeof channel !== 'string')
      return { error: { name: 'ApiError', message: 'the method name must be a string' } };
    if (isDesktopChannel(channel)) {
      const envelope = await dispatchDesktop(options.desktop, channel, args, options.contextFor(event));
      if (DESKTOP_CHANNEL_CHANGES[channel]) recordChange(options.audit, DESKTOP_CALLER, channel, args, envelope);
      return envelope;
    }
    // The sender is our own window: it may do everything, and its changes are audited as `desktop`.
    return asJson(await callChannel({ handlers: options.api, audit: options.audit }, DESKTOP_CALLER, channel, args));
  });

  const push = (message: unknown): void => {
    for (const contents of options.targets()) {
      if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, message);
    }
  };
  const unsubscribe = subscribePaced(options.events, push);

  return {
    emitDesktop: (event, payload) => push({ event, payload }),
    dispose() {
      unsubscribe();
      ipcMain.removeHandler(INVOKE_CHANNEL);
    },
  };
}
