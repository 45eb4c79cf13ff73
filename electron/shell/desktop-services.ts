/**
 * Everything the desktop app runs once Electron is ready, built in dependency order: the engine
 * runtime (database), key storage, the engine port, IPC, tray, notifications and the wake watcher.
 * desktop-app.ts owns the lifecycle around it; main.ts passes the real Electron module in.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRuntime, type Runtime, type RuntimeOptions } from '../runtime.js';
import { bindIpc, type IpcBinding } from './ipc.js';
import { createTray, type TrayController } from './tray.js';
import { SafeStorageSecretStore } from '../secrets/safe-storage-secret-store.js';
import { PlaintextConsentRequiredError, type SecretStore } from '../secrets/secret-store.js';
import type { Handlers } from '../server/api.js';
import { DESKTOP_CALLER } from '../server/caller.js';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import { notifyAlerts, type AlertNotifier } from './alert-notifier.js';
import { DashboardWindow } from './dashboard-window.js';
import { DesktopSettings } from './desktop-settings.js';
import { PLAINTEXT_CONSENT_DIALOG, createDesktopHandlers } from './desktop-handlers.js';
import type { DesktopCallContext } from './desktop-dispatch.js';
import type { DesktopElectron } from './electron-api.js';
import type { EnginePort } from './engine-port.js';
import { loginItem } from './login-item.js';
import { denyAllPermissions, isTrustedSender } from './security.js';
import { serveRenderer } from './renderer-protocol.js';
import { TRAY_ICON_KEYS, type TrayIconKey } from './tray-model.js';
import { watchWake, type WakeWatch } from './wake-watch.js';

/** Builds the engine for the shell; the runtime adapter today, the scheduler when it lands. */
export type EngineFactory = (context: { runtime: Runtime; secrets: SecretStore }) => EnginePort;

export interface ServiceOptions {
  electron: DesktopElectron;
  dashboard: DashboardWindow;
  /** webContents ids of live dashboard windows, the only trusted IPC senders. */
  trustedContents: Set<number>;
  dataDir: string;
  dbPath: string;
  nativeBinding: string;
  rendererDir: string;
  /** Folder with tray/*.png and icon.png (build/ unpackaged, resources/ packaged). */
  imagesDir: string;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  execPath: string;
  createEngine: EngineFactory;
  createRuntime?: (options: RuntimeOptions) => Runtime;
  log: (line: string) => void;
}

export interface DesktopServices {
  runtime: Runtime;
  engine: EnginePort;
  settings: DesktopSettings;
  secrets: SecretStore;
  ipc: IpcBinding;
  tray: TrayController;
  notifier: AlertNotifier;
  wake: WakeWatch;
  /** Show the dashboard, then ask it to show `page`. */
  openPage(page: string | undefined): void;
}

/** A startup failure the user must act on; the message names the cause and the next step. */
export class StartupError extends Error {
  override name = 'StartupError';
}

export function startServices(o: ServiceOptions, quit: () => void): DesktopServices {
  const { electron } = o;
  denyAllPermissions(electron.session.defaultSession);
  serveRenderer(electron.protocol, o.rendererDir);

  if (!fs.existsSync(o.nativeBinding)) {
    throw new StartupError(
      `the SQLite module for Electron is missing (${o.nativeBinding}); start Candlekeep with "npm start", which prepares it, or reinstall the app`,
    );
  }
  const settings = new DesktopSettings(o.dataDir);
  const secrets = new SafeStorageSecretStore({
    safeStorage: electron.safeStorage,
    dir: o.dataDir,
    platform: o.platform,
    plaintextConsent: () => settings.get().plaintextKeyConsent,
  });
  // The runtime must get the safeStorage store: without it, createRuntime falls back to the headless
  // plaintext file, so keys set on the dashboard's Settings page ('keys:set') were written unencrypted
  // and the engine never saw keys set through 'secrets:set' (found by secrets/desktop-keys.test.ts).
  const runtime = (o.createRuntime ?? createRuntime)({
    dbPath: o.dbPath,
    shell: 'electron',
    env: o.env,
    nativeBinding: o.nativeBinding,
    secrets,
  });
  const engine = o.createEngine({ runtime, secrets });
  const login = loginItem({
    app: electron.app,
    platform: o.platform,
    execPath: o.execPath,
    appPath: electron.app.isPackaged ? null : electron.app.getAppPath(),
    env: o.env,
  });

  const askPlaintextConsent = async ({ window }: DesktopCallContext): Promise<boolean> => {
    const answer = window
      ? await electron.dialog.showMessageBox(window, PLAINTEXT_CONSENT_DIALOG)
      : await electron.dialog.showMessageBox(PLAINTEXT_CONSENT_DIALOG);
    return answer.response === 1;
  };
  const desktop = createDesktopHandlers({
    settings,
    loginItem: login,
    secrets,
    openExternal: (url) => electron.shell.openExternal(url),
    askPlaintextConsent,
    keysChanged: () => runtime.store.configChanges.record('keys'),
  });
  const ipc = bindIpc({
    ipcMain: electron.ipcMain,
    api: withKeyConsent(runtime.handlers, settings, () => askPlaintextConsent({ window: o.dashboard.current })),
    audit: runtime.audit,
    desktop,
    events: runtime.events,
    isTrustedSender: (event) => isTrustedSender(event, o.trustedContents),
    targets: () => (o.dashboard.current ? [o.dashboard.current.webContents] : []),
    contextFor: () => ({ window: o.dashboard.current }),
  });

  const openPage = (page: string | undefined): void => {
    const contents = o.dashboard.show().webContents;
    if (!page) return;
    // A window created just now has no page listening yet: say it once the page has loaded.
    if (contents.isLoading()) contents.once('did-finish-load', () => ipc.emitDesktop('desktop:navigate', { page }));
    else ipc.emitDesktop('desktop:navigate', { page });
  };

  const icons = Object.fromEntries(
    TRAY_ICON_KEYS.map((key) => [
      key,
      electron.nativeImage.createFromPath(path.join(o.imagesDir, 'tray', `tray-${key}.png`)),
    ]),
  ) as Record<TrayIconKey, ReturnType<DesktopElectron['nativeImage']['createFromPath']>>;
  const tray = createTray({
    Tray: electron.Tray,
    Menu: electron.Menu,
    icons,
    engine: auditedTrayEngine(engine, runtime.audit),
    preferences: () => ({ muted: settings.get().muteNotifications, startAtLogin: login.isEnabled() }),
    actions: {
      openDashboard: () => o.dashboard.show(),
      setMuted: (muted) => settings.update({ muteNotifications: muted }),
      setStartAtLogin: (enabled) => {
        login.setEnabled(enabled);
        tray.refresh();
      },
      quit,
    },
    clickOpensDashboard: o.platform !== 'darwin',
  });
  settings.onChange(() => tray.refresh());

  const icon = path.join(o.imagesDir, 'icon.png');
  const notifier = notifyAlerts({
    Notification: electron.Notification,
    engine,
    isMuted: () => settings.get().muteNotifications,
    openPage,
    icon,
  });
  const wake = watchWake({ powerMonitor: electron.powerMonitor, isOnline: () => electron.net.isOnline(), engine });
  engine
    .start()
    .catch((err: unknown) =>
      o.log(`candlekeep: the engine did not start: ${err instanceof Error ? err.message : String(err)}`),
    );
  return { runtime, engine, settings, secrets, ipc, tray, notifier, wake, openPage };
}

/** The tray's Pause all / Resume all change the engine like the window's buttons do: audited as `desktop` too. */
function auditedTrayEngine(engine: EnginePort, audit: AuditRecorder): EnginePort {
  const audited = (channel: string, change: () => void) => () =>
    audit.recorded({ actor: DESKTOP_CALLER.actor, remote: 'tray', channel }, change);
  const pauseAll = audited('engine:pause', () => engine.pauseAll());
  const resumeAll = audited('engine:resume', () => engine.resumeAll());
  return new Proxy(engine, {
    get: (target, prop, receiver) =>
      prop === 'pauseAll' ? pauseAll : prop === 'resumeAll' ? resumeAll : Reflect.get(target, prop, receiver),
  });
}

/**
 * The dashboard's Settings page sets keys through the engine contract ('keys:set'), not 'secrets:set':
 * give that channel the same no-keyring consent question, or on Linux 'basic_text' a key could never
 * be stored from the page at all (the refusal names a consent the page had no way to give).
 */
function withKeyConsent(handlers: Handlers, settings: DesktopSettings, ask: () => Promise<boolean>): Handlers {
  const setKey = handlers['keys:set'];
  return {
    ...handlers,
    'keys:set': async (args, caller) => {
      try {
        return await setKey(args, caller);
      } catch (err) {
        if (!(err instanceof PlaintextConsentRequiredError) || !(await ask())) throw err;
        settings.update({ plaintextKeyConsent: true });
        return setKey(args, caller);
      }
    },
  };
}
