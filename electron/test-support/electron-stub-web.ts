/**
 * Stand-in for Electron's windows and web contents (see electron-stub.ts). Behaves like the real
 * ones where the shell depends on it: cancellable 'close', 'ready-to-show' after load, will-navigate
 * and the window-open handler as the page would trigger them.
 */
import { EventEmitter } from 'node:events';

export class StubEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

let nextContentsId = 1;

export class StubWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  url = '';
  destroyed = false;
  loading = false;
  readonly sent: Array<{ channel: string; args: unknown[] }> = [];
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' } | { action: 'allow' }) | null = null;

  isDestroyed(): boolean {
    return this.destroyed;
  }
  isLoading(): boolean {
    return this.loading;
  }
  getURL(): string {
    return this.url;
  }
  /** What preload code listening with ipcRenderer.on receives. */
  readonly rendererSide = new EventEmitter();

  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
    this.rendererSide.emit(channel, { sender: 'ipcRenderer' }, ...args);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void {
    this.windowOpenHandler = handler;
  }

  /** What the page does when a link is followed: true when the navigation went ahead. */
  navigate(url: string): boolean {
    const event = new StubEvent();
    this.emit('will-navigate', event, url);
    if (!event.defaultPrevented) this.url = url;
    return !event.defaultPrevented;
  }
  /** What window.open does: the handler's decision, or 'allow' when no handler was set (Electron's default). */
  openWindow(url: string): 'allow' | 'deny' {
    return this.windowOpenHandler ? this.windowOpenHandler({ url }).action : 'allow';
  }
  /** A <webview> trying to attach: true when it was allowed. */
  attachWebview(): boolean {
    const event = new StubEvent();
    this.emit('will-attach-webview', event, {}, {});
    return !event.defaultPrevented;
  }
  /** The top frame, as IPC events carry it. */
  mainFrame(): { url: string; parent: null } {
    return { url: this.url, parent: null };
  }
}

export interface StubWindowOptions {
  show?: boolean;
  webPreferences?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface StubBrowserWindow extends EventEmitter {
  readonly options: StubWindowOptions;
  readonly webContents: StubWebContents;
  visible: boolean;
  minimized: boolean;
  focused: boolean;
  destroyed: boolean;
  loadURL(url: string): Promise<void>;
  show(): void;
  hide(): void;
  focus(): void;
  restore(): void;
  minimize(): void;
  isMinimized(): boolean;
  isVisible(): boolean;
  isDestroyed(): boolean;
  destroy(): void;
  /** The user clicks the window's close button: true when the window really closed. */
  close(): boolean;
}

/**
 * A BrowserWindow class for one stub Electron: `instances` lists its windows, and every new
 * webContents is announced through `onWebContents` (the app's 'web-contents-created').
 */
export function browserWindowClass(onWebContents: (contents: StubWebContents) => void) {
  return class BrowserWindow extends EventEmitter implements StubBrowserWindow {
    static readonly instances: StubBrowserWindow[] = [];
    readonly webContents = new StubWebContents();
    visible: boolean;
    minimized = false;
    focused = false;
    destroyed = false;

    constructor(readonly options: StubWindowOptions) {
      super();
      this.visible = options.show !== false;
      BrowserWindow.instances.push(this);
      onWebContents(this.webContents);
    }

    async loadURL(url: string): Promise<void> {
      this.webContents.url = url;
      this.webContents.loading = true;
      await Promise.resolve();
      this.webContents.loading = false;
      this.webContents.emit('did-finish-load');
      this.emit('ready-to-show');
    }
    show(): void {
      this.visible = true;
    }
    hide(): void {
      this.visible = false;
      this.focused = false;
    }
    focus(): void {
      this.focused = true;
    }
    restore(): void {
      this.minimized = false;
    }
    minimize(): void {
      this.minimized = true;
    }
    isMinimized(): boolean {
      return this.minimized;
    }
    isVisible(): boolean {
      return this.visible;
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    destroy(): void {
      if (this.destroyed) return;
      this.destroyed = true;
      this.visible = false;
      this.webContents.destroyed = true;
      this.emit('closed');
    }
    close(): boolean {
      const event = new StubEvent();
      this.emit('close', event);
      if (event.defaultPrevented) return false;
      this.destroy();
      return true;
    }
  };
}
