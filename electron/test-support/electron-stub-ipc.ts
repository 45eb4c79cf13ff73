/**
 * Stand-in for Electron's IPC, protocol, session and contextBridge (see electron-stub.ts): enough to
 * call ipcMain handlers as a given frame would, fetch from a registered scheme, and ask the session
 * for permissions the way a page would.
 */
import type { CustomScheme } from 'electron';
import type { IpcInvokeEventLike } from '../shell/electron-api.js';
import type { StubWebContents } from './electron-stub-web.js';

type Handler = (event: IpcInvokeEventLike, ...args: unknown[]) => unknown;
type PermissionRequestHandler = (
  webContents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
) => void;

export function ipcStub() {
  const handlers = new Map<string, Handler>();
  const schemes: CustomScheme[] = [];
  const protocolHandlers = new Map<string, (request: Request) => Response | Promise<Response>>();
  const permissions: {
    request: PermissionRequestHandler | null;
    check: ((webContents: unknown, permission: string) => boolean) | null;
    device: ((details: unknown) => boolean) | null;
  } = { request: null, check: null, device: null };
  const exposed = new Map<string, unknown>();

  const ipcMain = {
    handlers,
    handle(channel: string, handler: Handler): void {
      // Electron refuses a second handler for one channel; so do we.
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, handler);
    },
    removeHandler(channel: string): void {
      handlers.delete(channel);
    },
    /** Call a handler as `event` (sender + frame) would. */
    async invoke(channel: string, event: IpcInvokeEventLike, ...args: unknown[]): Promise<unknown> {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      return handler(event, ...args);
    },
  };

  /** The ipcRenderer a page in `contents` has: invokes as its top frame, hears what main sends it. */
  const ipcRendererFor = (contents: StubWebContents) => ({
    invoke: (channel: string, ...args: unknown[]) =>
      ipcMain.invoke(channel, { sender: { id: contents.id }, senderFrame: contents.mainFrame() }, ...args),
    on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) =>
      contents.rendererSide.on(channel, listener),
    removeListener: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) =>
      contents.rendererSide.removeListener(channel, listener),
  });

  return {
    ipcMain,
    ipcRendererFor,
    protocol: {
      schemes,
      registerSchemesAsPrivileged(list: CustomScheme[]): void {
        schemes.push(...list);
      },
      handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
        protocolHandlers.set(scheme, handler);
      },
      async fetch(url: string, method = 'GET'): Promise<Response> {
        const handler = protocolHandlers.get(new URL(url).protocol.slice(0, -1));
        if (!handler) throw new Error(`no protocol handler for ${url}`);
        return handler({ url, method } as Request);
      },
    },
    session: {
      defaultSession: {
        permissions,
        setPermissionRequestHandler: (h: PermissionRequestHandler | null) => void (permissions.request = h),
        setPermissionCheckHandler: (h: ((webContents: unknown, permission: string) => boolean) | null) =>
          void (permissions.check = h),
        setDevicePermissionHandler: (h: ((details: unknown) => boolean) | null) => void (permissions.device = h),
        /** What a page asking for `permission` gets; Electron grants everything when no handler is set. */
        requestPermission(permission: string): Promise<boolean> {
          return new Promise((resolve) =>
            permissions.request ? permissions.request({}, permission, resolve) : resolve(true),
          );
        },
        checkPermission: (permission: string): boolean =>
          permissions.check ? permissions.check({}, permission) : true,
      },
    },
    contextBridge: {
      exposed,
      exposeInMainWorld(key: string, api: unknown): void {
        if (exposed.has(key))
          throw new Error(`Cannot bind an API on top of an existing property on the window object: ${key}`);
        exposed.set(key, api);
      },
    },
  };
}
