/**
 * The object the preload exposes as `window.candlekeep`: exactly `invoke` and `on`, typed by the
 * contract maps (docs/ARCHITECTURE.md "Fronts and the contract"). Raw ipcRenderer never crosses the bridge, nor does
 * any IpcRendererEvent (its `sender` would hand the page ipcRenderer back). No Electron import here,
 * so tests build it with a stand-in ipcRenderer.
 */
import { unwrapEnvelope, type Envelope } from '../../shared/contract.js';
import type { DesktopCandlekeepBridge } from '../../shared/desktop-contract.js';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './ipc-channels.js';

/** The part of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createPreloadBridge(ipcRenderer: IpcRendererLike): DesktopCandlekeepBridge {
  const invoke = async (channel: unknown, args?: unknown): Promise<unknown> => {
    if (typeof channel !== 'string') throw new TypeError('candlekeep.invoke: the method name must be a string');
    const envelope = (await ipcRenderer.invoke(INVOKE_CHANNEL, channel, args)) as Envelope<unknown>;
    return unwrapEnvelope(envelope);
  };

  const on = (event: unknown, listener: unknown): (() => void) => {
    if (typeof event !== 'string' || typeof listener !== 'function') {
      throw new TypeError('candlekeep.on(event, listener): event must be a string and listener a function');
    }
    const forward = (_event: unknown, message: unknown): void => {
      const m = message as { event?: unknown; payload?: unknown } | null;
      if (m && m.event === event) (listener as (payload: unknown) => void)(m.payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  };

  const bridge = {
    invoke: invoke as DesktopCandlekeepBridge['invoke'],
    on: on as DesktopCandlekeepBridge['on'],
  } satisfies DesktopCandlekeepBridge;
  return Object.freeze(bridge);
}
