/**
 * `npm run dist`: installers for the current platform and architecture.
 *   1. electron-vite build (out/main, out/preload, out/renderer)
 *   2. better-sqlite3 for Electron's ABI into out/native (shipped via extraResources)
 *   3. electron-builder.yml checked (schema + our rules), then electron-builder itself
 * Extra arguments go to electron-builder (e.g. `npm run dist -- --linux deb`). Cross-building for
 * another OS or CPU is not supported: the native binding is made for this machine.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { findElectron } from './electron-binary.js';
import { ensureNativeBinding, verifyInElectron } from './native-rebuild.js';
import { CONFIG_FILE, checkBuilderConfig } from './builder-config-check.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function main(args: string[]): Promise<number> {
  if (
    args.some(
      (a) =>
        /^--(x64|ia32|arm64|armv7l|universal)$/.test(a) ||
        (/^--(win|mac|linux|windows|macos|w|m|l)$/.test(a) && !isThisPlatform(a)),
    )
  ) {
    console.error(
      'candlekeep dist: builds for this platform and CPU only (the better-sqlite3 binary is made for this machine); run it on each target OS',
    );
    return 2;
  }
  const electron = findElectron(root);
  if (!electron?.abi) {
    console.error('candlekeep dist: the electron package is not installed; run npm install');
    return 1;
  }
  const { build } = await import('electron-vite');
  await build({ configFile: path.join(root, 'electron.vite.config.ts'), root, logLevel: 'warn' });
  if (!electron.binary)
    console.error(
      'candlekeep dist: no Electron binary here, so the SQLite module is not test-loaded in Electron before packaging',
    );
  await ensureNativeBinding({
    root,
    target: {
      runtime: 'electron',
      version: electron.version,
      abi: electron.abi,
      platform: process.platform,
      arch: process.arch,
    },
    env: process.env,
    log: (text) => console.error(text),
    ...(electron.binary ? { verify: verifyInElectron(electron.binary, root) } : {}),
  });
  const problems = await checkBuilderConfig(root);
  if (problems.length) {
    for (const p of problems) console.error(`electron-builder config: ${p}`);
    return 1;
  }
  const cli = createRequire(path.join(root, 'package.json')).resolve('electron-builder/cli.js');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, '--config', CONFIG_FILE, '--publish', 'never', ...args], {
      cwd: root,
      stdio: 'inherit',
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

function isThisPlatform(flag: string): boolean {
  const platform = {
    '--win': 'win32',
    '--windows': 'win32',
    '--w': 'win32',
    '--mac': 'darwin',
    '--macos': 'darwin',
    '--m': 'darwin',
    '--linux': 'linux',
    '--l': 'linux',
  }[flag];
  return platform === process.platform;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(`candlekeep dist: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
