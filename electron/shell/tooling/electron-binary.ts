/**
 * Where the installed Electron is, without `require('electron')` (which throws a vague error when
 * its binary download was skipped). npm installs here use ELECTRON_SKIP_BINARY_DOWNLOAD=1, so the
 * package (version, ABI) can be present while the binary is not.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

export interface ElectronInstall {
  version: string;
  /** NODE_MODULE_VERSION of this Electron (from the package's abi_version file). */
  abi: string | null;
  packageDir: string;
  /** The executable, or null when it was never downloaded. */
  binary: string | null;
}

export const MISSING_ELECTRON_LINE =
  'candlekeep app: the Electron binary is not installed (its download was skipped, e.g. ELECTRON_SKIP_BINARY_DOWNLOAD=1; with internet access, "npm rebuild electron" fetches it); run the headless dashboard instead: npx candlekeep serve';

export function findElectron(root: string, env: NodeJS.ProcessEnv = process.env): ElectronInstall | null {
  let packageJson: string;
  try {
    packageJson = createRequire(path.join(root, 'package.json')).resolve('electron/package.json');
  } catch {
    return null;
  }
  const packageDir = path.dirname(packageJson);
  const { version } = JSON.parse(fs.readFileSync(packageJson, 'utf8')) as { version: string };
  const abiFile = path.join(packageDir, 'abi_version');
  const abi = fs.existsSync(abiFile) ? fs.readFileSync(abiFile, 'utf8').trim() : null;
  return { version, abi, packageDir, binary: electronExecutable(packageDir, env) };
}

/** The same lookup as electron/index.js, answering null instead of throwing. */
function electronExecutable(packageDir: string, env: NodeJS.ProcessEnv): string | null {
  const pathFile = path.join(packageDir, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : null;
  const candidate = env.ELECTRON_OVERRIDE_DIST_PATH
    ? path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron')
    : relative
      ? path.join(packageDir, 'dist', relative)
      : null;
  return candidate && fs.existsSync(candidate) ? candidate : null;
}
