/**
 * The one dashboard window: created on demand (a `--hidden` start costs no renderer until the user
 * asks), hidden — not closed — when the user closes it, so the engine keeps running in the tray
 * (docs/ARCHITECTURE.md "Conventions", ordered shutdown); really closed only while quitting.
 */
import type { BrowserWindowCtor, BrowserWindowLike, CancellableEvent, WebContentsLike } from './electron-api.js';
import { APP_INDEX_URL } from './security.js';

export interface DashboardWindowOptions {
  BrowserWindow: BrowserWindowCtor;
  /** Absolute path of the bundled preload (out/preload/preload.cjs). */
  preloadPath: string;
  icon?: string;
  /** DevTools only in development builds. */
  devTools: boolean;
  /** True once the user chose Quit: then 'close' really closes. */
  isQuitting: () => boolean;
  /** Called each time a close was turned into a hide (e.g. to tell the user, once, where the app went). */
  onHiddenToTray?: () => void;
  /** Runs for the new window's webContents before anything loads (IPC trust, event forwarding). */
  onCreated?: (contents: WebContentsLike) => void;
  onDestroyed?: (contents: WebContentsLike) => void;
}

export class DashboardWindow {
  private window: BrowserWindowLike | null = null;

  constructor(private readonly options: DashboardWindowOptions) {}

  /** The live window, if one exists. */
  get current(): BrowserWindowLike | null {
    return this.window && !this.window.isDestroyed() ? this.window : null;
  }

  /** Show (creating it if needed), restore if minimized, and bring to front. */
  show(): BrowserWindowLike {
    const existing = this.current;
    if (existing) {
      if (existing.isMinimized()) existing.restore();
      existing.show();
      existing.focus();
      return existing;
    }
    return this.create();
  }

  hide(): void {
    this.current?.hide();
  }

  /** For the ordered shutdown: close for real, no hide. */
  destroy(): void {
    this.current?.destroy();
    this.window = null;
  }

  private create(): BrowserWindowLike {
    const { BrowserWindow } = this.options;
    const window = new BrowserWindow({
      width: 1280,
      height: 820,
      minWidth: 800,
      minHeight: 520,
      show: false,
      title: 'Candlekeep',
      backgroundColor: '#0f1115',
      ...(this.options.icon ? { icon: this.options.icon } : {}),
      webPreferences: {
        preload: this.options.preloadPath,
        // Electron security: "Enable Context Isolation": the page never shares globals with the preload.
        contextIsolation: true,
        // Electron security: "Do not enable Node.js integration for remote content" (nor for ours).
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        // Electron security: "Enable process sandboxing".
        sandbox: true,
        // Electron security: "Do not disable webSecurity".
        webSecurity: true,
        // Electron security: "Do not enable allowRunningInsecureContent".
        allowRunningInsecureContent: false,
        // Electron security: "Do not enable experimental features".
        experimentalFeatures: false,
        // Electron security: "Verify WebView options before creation": no <webview> at all.
        webviewTag: false,
        // Electron security: "Disable or limit navigation": a dropped file must not replace the page.
        navigateOnDragDrop: false,
        // Middle-click (auxclick) would open links in new windows without window.open: switch it off.
        disableBlinkFeatures: 'Auxclick',
        safeDialogs: true,
        spellcheck: false,
        devTools: this.options.devTools,
      },
    });
    this.window = window;
    const contents = window.webContents;
    this.options.onCreated?.(contents);
    window.on('close', (event: CancellableEvent) => {
      if (this.options.isQuitting()) return;
      event.preventDefault();
      window.hide();
      this.options.onHiddenToTray?.();
    });
    window.on('closed', () => {
      if (this.window === window) this.window = null;
      this.options.onDestroyed?.(contents);
    });
    window.once('ready-to-show', () => {
      window.show();
      window.focus();
    });
    void window.loadURL(APP_INDEX_URL).catch(() => {
      // The protocol handler answers a readable 404 page when the build is missing; nothing else to do.
    });
    return window;
  }
}
