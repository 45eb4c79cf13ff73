/**
 * The whole desktop app on the stand-in Electron (electron-stub.ts): startDesktopApp with a real
 * runtime on a fresh SQLite file in a temporary data folder, exactly as electron/main.ts wires it.
 * The "Electron build" of better-sqlite3 the shell insists on is a copy of the Node one, so the real
 * nativeBinding path is exercised. Sources point at CANDLEKEEP_BINANCE_URL (a simulator, or by
 * default a closed loopback port): nothing here ever reaches the internet.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { startDesktopApp, type DesktopApp } from '../shell/desktop-app.js';
import type { DesktopServices } from '../shell/desktop-services.js';
import { engineStatusPort } from '../shell/engine-status-port.js';
import { createElectronStub, type ElectronStub, type StubOptions } from './electron-stub.js';
import type { StubBrowserWindow } from './electron-stub-web.js';
import { tempDir } from './temp-db.js';

/** Nothing listens on port 9 (discard) on loopback: connection refused at once. */
export const CLOSED_PORT_URL = 'http://127.0.0.1:9';

export interface DesktopRigOptions extends StubOptions {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  /** A previous rig's folders, to play a second launch on the same machine. */
  folders?: RigFolders;
}

export interface RigFolders {
  root: string;
  appPath: string;
  dataDir: string;
}

export interface DesktopRig {
  stub: ElectronStub;
  /** Null when this launch lost the single-instance lock. */
  app: DesktopApp | null;
  folders: RigFolders;
  log: string[];
  services(): DesktopServices;
  /** The dashboard window, if one was ever created. */
  window(): StubBrowserWindow | undefined;
  /** Quit through the ordered shutdown (if still running) and remove the folders. */
  close(): Promise<void>;
}

function makeFolders(): RigFolders {
  const { dir: root } = tempDir('candlekeep-desktop-');
  const appPath = path.join(root, 'app');
  const dataDir = path.join(root, 'data');
  const binding = createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node');
  fs.mkdirSync(path.join(appPath, 'out', 'native'), { recursive: true });
  fs.copyFileSync(binding, path.join(appPath, 'out', 'native', 'better_sqlite3.node'));
  return { root, appPath, dataDir };
}

export async function startDesktopRig(options: DesktopRigOptions = {}): Promise<DesktopRig> {
  const folders = options.folders ?? makeFolders();
  const stub = createElectronStub({ appPath: folders.appPath, ...options });
  const log: string[] = [];
  const app = startDesktopApp(stub.electron, {
    argv: ['electron', folders.appPath, ...(options.argv ?? [])],
    env: {
      CANDLEKEEP_HOME: folders.dataDir,
      XDG_CONFIG_HOME: path.join(folders.root, 'config'),
      CANDLEKEEP_BINANCE_URL: CLOSED_PORT_URL,
      ...options.env,
    },
    platform: options.platform ?? 'linux',
    execPath: '/opt/Candlekeep/candlekeep',
    resourcesPath: path.join(folders.root, 'resources'),
    mainDir: path.join(folders.appPath, 'out', 'main'),
    createEngine: ({ runtime }) => engineStatusPort({ runtime }),
    log: (line) => log.push(line),
  });
  await app?.ready;
  return {
    stub,
    app,
    folders,
    log,
    services() {
      const services = app?.services();
      if (!services) throw new Error(`the desktop app did not start: ${log.join('; ')}`);
      return services;
    },
    window: () => stub.BrowserWindow.instances[0],
    async close() {
      if (app && !stub.app.quitted) {
        stub.app.quit();
        await app.shutdown();
      }
      if (!options.folders) fs.rmSync(folders.root, { recursive: true, force: true });
    },
  };
}

/** Let promise chains and the stub window's load (a microtask hop) settle. */
export const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));
