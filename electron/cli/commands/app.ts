/**
 * `candlekeep app [--hidden] [--db FILE]`, what `npm start` runs: build the desktop app (electron-vite),
 * make sure better-sqlite3 exists for Electron's ABI (out/native, see shell/native-binding.ts), then
 * run Electron on it. Without the Electron binary (ELECTRON_SKIP_BINARY_DOWNLOAD=1 installs) it says
 * so in one line, points to the headless dashboard, and exits 1.
 */
import { isServerUrl } from '../../store/postgres/pg-open.js';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '../args.js';
import { line, type CliIo } from '../io.js';
import { findElectron, MISSING_ELECTRON_LINE, type ElectronInstall } from '../../shell/tooling/electron-binary.js';
import { ensureNativeBinding, verifyInElectron } from '../../shell/tooling/native-rebuild.js';

/** The project folder: this file is electron/cli/commands/app.ts (the build keeps the path pointing there). */
export const PROJECT_ROOT = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export interface AppLauncher {
  findElectron(root: string, env: NodeJS.ProcessEnv): ElectronInstall | null;
  build(root: string): Promise<void>;
  nativeBinding(root: string, electron: ElectronInstall & { binary: string }, io: CliIo): Promise<string>;
  runElectron(binary: string, args: string[], io: CliIo): Promise<number>;
}

export const launcher: AppLauncher = {
  findElectron,
  async build(root) {
    const { build } = await import('electron-vite');
    await build({ configFile: path.join(root, 'electron.vite.config.ts'), root, logLevel: 'warn' });
  },
  nativeBinding: (root, electron, io) =>
    ensureNativeBinding({
      root,
      target: {
        runtime: 'electron',
        version: electron.version,
        abi: electron.abi ?? 'unknown',
        platform: process.platform,
        arch: process.arch,
      },
      env: io.env,
      log: (text) => line(io.stderr, text),
      verify: verifyInElectron(electron.binary, root),
    }),
  runElectron: (binary, args, io) =>
    new Promise((resolve) => {
      // ELECTRON_RUN_AS_NODE from a parent shell would start Electron as plain Node, not as the app.
      const child = spawn(binary, args, { stdio: 'inherit', env: { ...io.env, ELECTRON_RUN_AS_NODE: undefined } });
      const stop = (): void => void (child.exitCode === null && child.kill('SIGTERM'));
      io.stopSignal.addEventListener('abort', stop, { once: true });
      child.on('error', (err) => {
        line(io.stderr, `candlekeep app: cannot run Electron (${err.message})`);
        resolve(1);
      });
      child.on('close', (code, signal) => {
        io.stopSignal.removeEventListener('abort', stop);
        resolve(code ?? (signal && !io.stopSignal.aborted ? 1 : 0));
      });
    }),
};

export async function run(
  argv: string[],
  io: CliIo,
  app: AppLauncher = launcher,
  root = PROJECT_ROOT,
): Promise<number> {
  const { values } = parse(argv, { hidden: { type: 'boolean' }, db: { type: 'string' } });
  const electron = app.findElectron(root, io.env);
  if (!electron?.binary) {
    line(io.stderr, MISSING_ELECTRON_LINE);
    return 1;
  }
  await app.build(root);
  await app.nativeBinding(root, { ...electron, binary: electron.binary }, io);
  const args = [root];
  if (values.hidden) args.push('--hidden');
  if (typeof values.db === 'string' && values.db !== '')
    args.push('--db', isServerUrl(values.db) ? values.db : path.resolve(values.db));
  return app.runElectron(electron.binary, args, io);
}
