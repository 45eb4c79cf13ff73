/**
 * The desktop app's lifecycle (docs/ARCHITECTURE.md "Conventions", ordered shutdown):
 * - before 'ready': app name and data folder (same as the CLI's), single-instance lock, app:// scheme;
 * - on 'ready': services (desktop-services.ts), then the window unless started hidden;
 * - closing the window hides it to the tray; a second launch shows the first instance's window;
 * - Quit (tray, menu, OS, SIGTERM) runs the ordered shutdown once, then really quits.
 * Everything Electron comes in through `electron`, so tests drive it with a stand-in module.
 */
import path from 'node:path';
import { APP_NAME, appDataDir, defaultDatabasePath } from '../store/app-paths.js';
import { DashboardWindow } from './dashboard-window.js';
import { startServices, type DesktopServices, type EngineFactory, type ServiceOptions } from './desktop-services.js';
import type { DesktopElectron } from './electron-api.js';
import { parseLaunchArgs } from './launch-options.js';
import { electronBindingPath } from './native-binding.js';
import { APP_SCHEME_PRIVILEGES } from './renderer-protocol.js';
import { hardenWebContents } from './security.js';
import { runShutdown, type ShutdownReport } from './shutdown.js';

/** Must equal electron-builder's appId: Windows only shows notifications of a known AppUserModelId. */
export const APP_ID = 'org.candlekeep.app';

export interface DesktopAppOptions {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  execPath: string;
  /** process.resourcesPath (packaged: where extraResources land). */
  resourcesPath: string;
  /** Folder of the bundled main script (out/main): preload and renderer sit next to it. */
  mainDir: string;
  createEngine: EngineFactory;
  createRuntime?: ServiceOptions['createRuntime'];
  log?: (line: string) => void;
}

export interface DesktopApp {
  /** Settles once startup finished (or failed and the app is exiting). */
  ready: Promise<void>;
  dashboard: DashboardWindow;
  services(): DesktopServices | null;
  /** The ordered shutdown, run at most once; what app 'before-quit' waits for. */
  shutdown(): Promise<ShutdownReport>;
}

export function startDesktopApp(electron: DesktopElectron, options: DesktopAppOptions): DesktopApp | null {
  const { app } = electron;
  const log = options.log ?? ((line: string) => console.error(line));

  // ESM main: this runs before 'ready' only because nothing above awaits (Electron ESM caveats).
  app.setName(APP_NAME);
  const dataDir = appDataDir(options.env, options.platform);
  app.setPath('userData', dataDir);
  if (options.platform === 'win32') app.setAppUserModelId(APP_ID);
  if (!app.requestSingleInstanceLock()) {
    // Another Candlekeep owns the database; it shows its window on our 'second-instance' event.
    app.quit();
    return null;
  }
  electron.protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  const launch = parseLaunchArgs(options.argv);

  let quitting = false;
  let shutDown = false;
  let services: DesktopServices | null = null;
  let shutdownRun: Promise<ShutdownReport> | null = null;
  const trustedContents = new Set<number>();

  const dashboard = new DashboardWindow({
    BrowserWindow: electron.BrowserWindow,
    preloadPath: path.join(options.mainDir, '..', 'preload', 'preload.cjs'),
    icon: path.join(imagesDir(), 'icon.png'),
    devTools: !app.isPackaged,
    isQuitting: () => quitting,
    onCreated: (contents) => trustedContents.add(contents.id),
    onDestroyed: (contents) => trustedContents.delete(contents.id),
    onHiddenToTray: () => tellOnceAboutTray(),
  });

  function imagesDir(): string {
    return app.isPackaged ? options.resourcesPath : path.join(app.getAppPath(), 'build');
  }

  function tellOnceAboutTray(): void {
    if (!services || services.settings.get().trayHintShown || !electron.Notification.isSupported()) return;
    services.settings.update({ trayHintShown: true });
    new electron.Notification({
      title: 'Candlekeep is still running',
      body: 'It keeps collecting candles in the tray. Quit from the tray menu to stop it.',
      silent: true,
    }).show();
  }

  const requestQuit = (): void => {
    quitting = true;
    app.quit();
  };

  app.on('second-instance', (_event, argv) => {
    // A login-time launch while we already run must not pop the window up.
    if (!parseLaunchArgs(argv).hidden) dashboard.show();
  });
  // Closing the last window keeps the app (and the engine) running in the tray.
  app.on('window-all-closed', () => undefined);
  app.on('activate', () => dashboard.show());
  // Every webContents ever created (ours or not) gets the navigation / window / webview rules.
  app.on('web-contents-created', (_event, contents) =>
    hardenWebContents(contents, (url) => void electron.shell.openExternal(url)),
  );

  const ready = app
    .whenReady()
    .then(() => {
      services = startServices(
        {
          electron,
          dashboard,
          trustedContents,
          dataDir,
          dbPath: launch.dbPath ?? (options.env.CANDLEKEEP_DATABASE_URL || defaultDatabasePath(options.env)),
          nativeBinding: electronBindingPath({
            isPackaged: app.isPackaged,
            resourcesPath: options.resourcesPath,
            appPath: app.getAppPath(),
          }),
          rendererDir: path.join(options.mainDir, '..', 'renderer'),
          imagesDir: imagesDir(),
          platform: options.platform,
          env: options.env,
          execPath: options.execPath,
          createEngine: options.createEngine,
          createRuntime: options.createRuntime,
          log,
        },
        requestQuit,
      );
      const openedAtLogin = options.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true;
      if (!launch.hidden && !openedAtLogin) dashboard.show();
    })
    .catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      log(`candlekeep: cannot start: ${message}`);
      electron.dialog.showErrorBox('Candlekeep cannot start', message);
      shutDown = true;
      app.exit(1);
    });

  const shutdown = (): Promise<ShutdownReport> => {
    shutdownRun ??= ready.then(() =>
      runShutdown(
        [
          // 1. stop schedulers and drain in-flight fetches (the engine's stop() does both)
          { name: 'stop engine', run: () => services?.engine.stop(), timeoutMs: 15_000 },
          {
            name: 'stop notifications and watchers',
            run: () => (services?.notifier.dispose(), services?.wake.dispose()),
          },
          { name: 'unbind IPC', run: () => services?.ipc.dispose() },
          // 2. close the database only once nothing can write any more
          { name: 'close database', run: () => services?.runtime.close() },
          // 3. then the visible parts
          { name: 'destroy tray', run: () => services?.tray.dispose() },
          { name: 'destroy windows', run: () => dashboard.destroy() },
        ],
        log,
      ),
    );
    return shutdownRun;
  };

  app.on('before-quit', (event) => {
    quitting = true;
    if (shutDown) return;
    // Hold the quit until the ordered shutdown is done, then quit for real.
    event.preventDefault();
    void shutdown().then(() => {
      shutDown = true;
      app.quit();
    });
  });

  return { ready, dashboard, services: () => services, shutdown };
}
