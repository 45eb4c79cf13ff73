/**
 * The Electron main process entry (bundled to out/main/main.js by electron-vite). It only hands the
 * real `electron` module to the shell; everything else lives in shell/ and is tested with a stand-in.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// The whole module, not a list of names: startDesktopApp's DesktopElectron says which parts it takes.
import * as electron from 'electron';
import { startDesktopApp } from './shell/desktop-app.js';
import { engineStatusPort } from './shell/engine-status-port.js';

const desktop = startDesktopApp(electron, {
  argv: process.argv,
  env: process.env,
  platform: process.platform,
  execPath: process.execPath,
  resourcesPath: process.resourcesPath,
  mainDir: path.dirname(fileURLToPath(import.meta.url)),
  createEngine: ({ runtime }) => engineStatusPort({ runtime }),
});

// Ctrl-C in the terminal of `npm start`, or a service manager's SIGTERM: quit through the ordered shutdown.
if (desktop) for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => electron.app.quit());
