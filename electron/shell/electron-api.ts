/**
 * The exact Electron surface the desktop shell uses, as small structural types (so the core and
 * the shell's tests need no Electron: docs/ARCHITECTURE.md "Layers"). main.ts passes the real `electron`
 * module, and the compiler checks it fits; tests pass the stand-in from
 * electron/test-support/electron-stub.ts. Reviewing what the shell can do with Electron starts here. Only
 * type imports from 'electron': nothing is loaded at runtime.
 */
import type { CustomScheme, MenuItemConstructorOptions, MessageBoxOptions, NativeImage } from 'electron';

/** An Electron event we may cancel. */
export interface CancellableEvent {
  preventDefault(): void;
}

export interface FrameLike {
  readonly url: string;
  readonly parent: unknown;
}

export interface WebContentsLike {
  readonly id: number;
  isDestroyed(): boolean;
  isLoading(): boolean;
  getURL(): string;
  send(channel: string, ...args: unknown[]): void;
  once(event: 'did-finish-load', listener: () => void): unknown;
  on(event: 'will-navigate', listener: (event: CancellableEvent, url: string) => void): unknown;
  on(event: 'will-redirect', listener: (event: CancellableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: CancellableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void;
}

export interface DashboardWebPreferences {
  preload: string;
  contextIsolation: boolean;
  nodeIntegration: boolean;
  nodeIntegrationInWorker: boolean;
  nodeIntegrationInSubFrames: boolean;
  sandbox: boolean;
  webSecurity: boolean;
  allowRunningInsecureContent: boolean;
  experimentalFeatures: boolean;
  webviewTag: boolean;
  navigateOnDragDrop: boolean;
  safeDialogs: boolean;
  disableBlinkFeatures: string;
  spellcheck: boolean;
  devTools: boolean;
}

export interface BrowserWindowOptionsLike {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  backgroundColor: string;
  icon?: string;
  webPreferences: DashboardWebPreferences;
}

export interface BrowserWindowLike {
  readonly webContents: WebContentsLike;
  loadURL(url: string): Promise<void>;
  show(): void;
  hide(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  isVisible(): boolean;
  isDestroyed(): boolean;
  destroy(): void;
  on(event: 'close', listener: (event: CancellableEvent) => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  once(event: 'ready-to-show', listener: () => void): unknown;
}

export type BrowserWindowCtor = new (options: BrowserWindowOptionsLike) => BrowserWindowLike;

export interface AppLike {
  readonly isPackaged: boolean;
  setName(name: string): void;
  setPath(name: 'userData' | 'sessionData', path: string): void;
  getPath(name: 'userData'): string;
  getAppPath(): string;
  setAppUserModelId(id: string): void;
  requestSingleInstanceLock(): boolean;
  whenReady(): Promise<void>;
  quit(): void;
  exit(exitCode?: number): void;
  getLoginItemSettings(options?: { path?: string; args?: string[] }): {
    openAtLogin: boolean;
    wasOpenedAtLogin?: boolean;
  };
  setLoginItemSettings(settings: { openAtLogin: boolean; path?: string; args?: string[] }): void;
  on(event: 'second-instance', listener: (event: unknown, argv: string[]) => void): unknown;
  on(event: 'before-quit', listener: (event: CancellableEvent) => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
  on(event: 'activate', listener: () => void): unknown;
  on(event: 'web-contents-created', listener: (event: unknown, contents: WebContentsLike) => void): unknown;
}

/** Images go back into Electron (Tray), so this stays Electron's own opaque type. */
export type NativeImageLike = NativeImage;

export interface TrayLike {
  setImage(image: NativeImageLike): void;
  setToolTip(toolTip: string): void;
  setContextMenu(menu: MenuLike | null): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
  isDestroyed(): boolean;
}

export type MenuLike = object;

export interface MenuStatic {
  buildFromTemplate(template: MenuItemConstructorOptions[]): MenuLike;
}

export interface NotificationLike {
  show(): void;
  close(): void;
  on(event: 'click', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
}

export interface NotificationCtor {
  new (options: { title: string; body: string; silent?: boolean; icon?: string }): NotificationLike;
  isSupported(): boolean;
}

export interface PowerMonitorLike {
  on(event: 'resume' | 'unlock-screen', listener: () => void): unknown;
  removeListener(event: 'resume' | 'unlock-screen', listener: () => void): unknown;
}

export interface IpcInvokeEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: FrameLike | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface ProtocolLike {
  registerSchemesAsPrivileged(schemes: CustomScheme[]): void;
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
}

export interface SessionLike {
  setPermissionRequestHandler(
    handler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null,
  ): void;
  setPermissionCheckHandler(handler: ((webContents: unknown, permission: string) => boolean) | null): void;
  setDevicePermissionHandler(handler: ((details: unknown) => boolean) | null): void;
}

export interface DialogLike {
  /** `window` is any window handle we got from Electron (checked bivariantly, as Electron's own method). */
  showMessageBox(window: object, options: MessageBoxOptions): Promise<{ response: number }>;
  showMessageBox(options: MessageBoxOptions): Promise<{ response: number }>;
  showErrorBox(title: string, content: string): void;
}

export interface SafeStorageApi {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend(): string;
}

/** Everything startDesktopApp takes from `electron`. */
export interface DesktopElectron {
  app: AppLike;
  BrowserWindow: BrowserWindowCtor;
  Tray: new (image: NativeImageLike) => TrayLike;
  Menu: MenuStatic;
  nativeImage: { createFromPath(path: string): NativeImageLike };
  Notification: NotificationCtor;
  safeStorage: SafeStorageApi;
  powerMonitor: PowerMonitorLike;
  net: { isOnline(): boolean };
  ipcMain: IpcMainLike;
  protocol: ProtocolLike;
  session: { readonly defaultSession: SessionLike };
  shell: { openExternal(url: string): Promise<void> };
  dialog: DialogLike;
}
