/**
 * A stand-in for the `electron` module, for tests of the desktop shell (the Electron binary cannot
 * be downloaded here). Each call to createElectronStub() is one fake Electron process; several can
 * share InstanceLocks to play first and second instance. Use it either by passing `stub.electron`
 * to startDesktopApp, or as the module itself: vi.mock('electron', () => stub).
 */
import { EventEmitter } from 'node:events';
import type { MenuItemConstructorOptions, NativeImage } from 'electron';
import type { DesktopElectron } from '../shell/electron-api.js';
import { browserWindowClass, StubEvent, type StubWebContents } from './electron-stub-web.js';
import { ipcStub } from './electron-stub-ipc.js';

export { StubEvent } from './electron-stub-web.js';

/** The single-instance lock, shared by the stub "processes" of one test. */
export class InstanceLocks {
  private holder: StubApp | null = null;
  request(app: StubApp, argv: string[]): boolean {
    if (!this.holder) {
      this.holder = app;
      return true;
    }
    this.holder.emit('second-instance', new StubEvent(), argv, process.cwd(), {});
    return false;
  }
}

export interface StubOptions {
  appPath?: string;
  isPackaged?: boolean;
  argv?: string[];
  locks?: InstanceLocks;
  keyringBackend?: string;
  encryptionAvailable?: boolean;
  online?: boolean;
  /** Which button the user picks in message boxes. */
  dialogResponse?: number;
  notificationsSupported?: boolean;
}

export class StubApp extends EventEmitter {
  readonly paths = new Map<string, string>();
  name = 'Electron';
  appUserModelId: string | null = null;
  loginItem = { openAtLogin: false, wasOpenedAtLogin: false, args: [] as string[] };
  exitCode: number | null = null;
  quitted = false;
  private readonly readyPromise = Promise.resolve();

  constructor(
    readonly isPackaged: boolean,
    private readonly appPath: string,
    private readonly argv: string[],
    private readonly locks: InstanceLocks,
  ) {
    super();
  }
  setName(name: string): void {
    this.name = name;
  }
  setPath(name: string, value: string): void {
    this.paths.set(name, value);
  }
  getPath(name: string): string {
    return this.paths.get(name) ?? '';
  }
  getAppPath(): string {
    return this.appPath;
  }
  setAppUserModelId(id: string): void {
    this.appUserModelId = id;
  }
  requestSingleInstanceLock(): boolean {
    return this.locks.request(this, this.argv);
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  /** Like Electron: 'before-quit' may be cancelled; otherwise the app quits. */
  quit(): void {
    const event = new StubEvent();
    this.emit('before-quit', event);
    if (event.defaultPrevented) return;
    this.quitted = true;
    this.emit('will-quit', new StubEvent());
  }
  exit(code = 0): void {
    this.exitCode = code;
    this.quitted = true;
  }
  getLoginItemSettings(): { openAtLogin: boolean; wasOpenedAtLogin: boolean } {
    return { openAtLogin: this.loginItem.openAtLogin, wasOpenedAtLogin: this.loginItem.wasOpenedAtLogin };
  }
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void {
    this.loginItem.openAtLogin = settings.openAtLogin;
    this.loginItem.args = settings.args ?? [];
  }
}

export class StubTray extends EventEmitter {
  tooltip = '';
  menu: { template: MenuItemConstructorOptions[] } | null = null;
  destroyed = false;
  constructor(public image: NativeImage) {
    super();
  }
  setImage(image: NativeImage): void {
    this.image = image;
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: { template: MenuItemConstructorOptions[] } | null): void {
    this.menu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** The icon's file, as nativeImage.createFromPath was given it. */
  imagePath(): string {
    return (this.image as unknown as { path: string }).path;
  }
  labels(): string[] {
    return (this.menu?.template ?? []).filter((i) => i.type !== 'separator').map((i) => String(i.label));
  }
  item(id: string): MenuItemConstructorOptions | undefined {
    return this.menu?.template.find((i) => i.id === id);
  }
  /** Click a menu item like Electron does: a checkbox flips before its click handler runs. */
  clickItem(id: string): void {
    const item = this.item(id);
    if (!item?.click) throw new Error(`no clickable tray menu item '${id}'`);
    const checked = item.type === 'checkbox' ? !item.checked : Boolean(item.checked);
    (item.click as (menuItem: { checked: boolean }) => void)({ checked });
  }
}

export class StubNotification extends EventEmitter {
  shown = false;
  closed = false;
  constructor(readonly options: { title: string; body: string; silent?: boolean; icon?: string }) {
    super();
  }
  show(): void {
    this.shown = true;
  }
  close(): void {
    this.closed = true;
    this.emit('close');
  }
  click(): void {
    this.emit('click');
  }
}

/** Reversible and obviously not plaintext, like safeStorage's "v10"-prefixed ciphertext. */
export const stubSafeStorageCipher = {
  encrypt: (text: string): Buffer =>
    Buffer.concat([Buffer.from('v10'), Buffer.from(text, 'utf8').map((b) => b ^ 0x5a)]),
  decrypt: (data: Buffer): string => {
    if (data.subarray(0, 3).toString() !== 'v10')
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(data.subarray(3).map((b) => b ^ 0x5a)).toString('utf8');
  },
};

export function createElectronStub(options: StubOptions = {}) {
  const state = {
    online: options.online ?? true,
    dialogResponse: options.dialogResponse ?? 0,
    keyringBackend: options.keyringBackend ?? 'gnome_libsecret',
    encryptionAvailable: options.encryptionAvailable ?? true,
    notificationsSupported: options.notificationsSupported ?? true,
  };
  const app = new StubApp(
    options.isPackaged ?? false,
    options.appPath ?? process.cwd(),
    options.argv ?? [],
    options.locks ?? new InstanceLocks(),
  );
  const BrowserWindow = browserWindowClass((contents: StubWebContents) =>
    app.emit('web-contents-created', new StubEvent(), contents),
  );
  const trays: StubTray[] = [];
  const notifications: StubNotification[] = [];
  const dialogs: unknown[][] = [];
  const errorBoxes: Array<{ title: string; content: string }> = [];
  const opened: string[] = [];
  const ipc = ipcStub();

  const stub = {
    state,
    app,
    BrowserWindow,
    Tray: class extends StubTray {
      constructor(image: NativeImage) {
        super(image);
        trays.push(this);
      }
    },
    trays,
    Menu: { buildFromTemplate: (template: MenuItemConstructorOptions[]) => ({ template }) },
    nativeImage: { createFromPath: (path: string) => ({ path, isEmpty: () => false }) as unknown as NativeImage },
    Notification: Object.assign(
      class extends StubNotification {
        constructor(o: StubNotification['options']) {
          super(o);
          notifications.push(this);
        }
      },
      { isSupported: () => state.notificationsSupported },
    ),
    notifications,
    safeStorage: {
      isEncryptionAvailable: () => state.encryptionAvailable,
      encryptString: (text: string) => stubSafeStorageCipher.encrypt(text),
      decryptString: (data: Buffer) => stubSafeStorageCipher.decrypt(data),
      getSelectedStorageBackend: () => state.keyringBackend,
    },
    powerMonitor: new EventEmitter(),
    net: { isOnline: () => state.online },
    shell: {
      openExternal: async (url: string) => {
        opened.push(url);
      },
    },
    opened,
    dialog: {
      showMessageBox: async (...args: unknown[]) => {
        dialogs.push(args);
        return { response: state.dialogResponse, checkboxChecked: false };
      },
      showErrorBox: (title: string, content: string) => {
        errorBoxes.push({ title, content });
      },
    },
    dialogs,
    errorBoxes,
    ...ipc,
  };
  return { ...stub, electron: stub as unknown as DesktopElectron };
}

export type ElectronStub = ReturnType<typeof createElectronStub>;
