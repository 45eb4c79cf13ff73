/**
 * Validates electron-builder.yml without the Electron download: electron-builder's own loader and
 * JSON-schema validation (the code `electron-builder` runs before packaging), then Candlekeep's
 * rules: the fuses of the README's Security section, targets per platform, icons present, the native binding shipped
 * outside app.asar, no in-place rebuild of node_modules. `tsx builder-config-check.ts` prints the
 * problems and exits 1 if any.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { APP_ID } from '../desktop-app.js';

type Config = Record<string, unknown> & {
  appId?: string;
  productName?: string;
  asar?: unknown;
  npmRebuild?: boolean;
  electronFuses?: Record<string, unknown>;
  extraResources?: Array<{ from: string; to: string }>;
  linux?: { target?: unknown; icon?: string };
  win?: { target?: unknown; icon?: string };
  mac?: { target?: unknown; icon?: string };
};

export const CONFIG_FILE = 'electron-builder.yml';

/** electron-builder's internals, found from electron-builder itself (app-builder-lib is its dependency). */
function builderInternals(root: string) {
  const fromBuilder = createRequire(createRequire(path.join(root, 'package.json')).resolve('electron-builder'));
  const config = fromBuilder('app-builder-lib/out/util/config/config.js') as {
    getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<Config>;
    validateConfiguration(config: Config, debugLogger: unknown): Promise<void>;
  };
  const { DebugLogger } = createRequire(fromBuilder.resolve('app-builder-lib'))('builder-util') as {
    DebugLogger: new (enabled?: boolean) => unknown;
  };
  return { ...config, DebugLogger };
}

export async function loadBuilderConfig(root: string): Promise<Config> {
  return builderInternals(root).getConfig(root, path.join(root, CONFIG_FILE), null);
}

const REQUIRED_FUSES: Record<string, boolean> = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
};

const targetsOf = (target: unknown): string[] =>
  (Array.isArray(target) ? target : [target])
    .map((t) => (typeof t === 'string' ? t : String((t as { target?: string })?.target)))
    .filter(Boolean);

/** Candlekeep's rules on top of the schema; each problem names the fix. */
export function builderConfigProblems(config: Config, root: string): string[] {
  const problems: string[] = [];
  if (config.appId !== APP_ID)
    problems.push(`appId must be '${APP_ID}' (APP_ID in electron/shell/desktop-app.ts), got '${config.appId}'`);
  if (config.asar === false) problems.push('asar must stay on: fuses validate and load only app.asar');
  if (config.npmRebuild !== false)
    problems.push(
      'npmRebuild must be false: rebuilding node_modules for Electron breaks the CLI (the app ships out/native instead)',
    );
  for (const [fuse, value] of Object.entries(REQUIRED_FUSES)) {
    if (config.electronFuses?.[fuse] !== value) problems.push(`electronFuses.${fuse} must be ${value}`);
  }
  const wanted: Array<[string, 'linux' | 'win' | 'mac', string[]]> = [
    ['Linux', 'linux', ['AppImage', 'deb']],
    ['Windows', 'win', ['nsis']],
    ['macOS', 'mac', ['dmg']],
  ];
  for (const [name, key, targets] of wanted) {
    const have = targetsOf(config[key]?.target);
    for (const t of targets) if (!have.includes(t)) problems.push(`${name} target '${t}' is missing (${key}.target)`);
    const icon = config[key]?.icon;
    if (!icon || !fs.existsSync(path.join(root, icon)))
      problems.push(`${name} icon ${icon ?? '(none)'} does not exist: run tsx electron/shell/tooling/icons.ts`);
  }
  const resources = config.extraResources ?? [];
  if (!resources.some((r) => r.from === 'out/native/better_sqlite3.node' && r.to === 'native/better_sqlite3.node')) {
    problems.push(
      'extraResources must ship out/native/better_sqlite3.node as native/better_sqlite3.node (see electron/shell/native-binding.ts)',
    );
  }
  if (!resources.some((r) => r.from === 'build/tray' && r.to === 'tray'))
    problems.push('extraResources must ship build/tray as tray (the tray icons)');
  return problems;
}

/** Schema validation plus our rules; an empty list means the configuration is good. */
export async function checkBuilderConfig(root: string): Promise<string[]> {
  const internals = builderInternals(root);
  const config = await internals.getConfig(root, path.join(root, CONFIG_FILE), null);
  try {
    await internals.validateConfiguration(config, new internals.DebugLogger(false));
  } catch (err) {
    return [`${CONFIG_FILE} does not match electron-builder's schema: ${(err as Error).message}`];
  }
  return builderConfigProblems(config, root);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  const problems = await checkBuilderConfig(root);
  for (const p of problems) console.error(`electron-builder config: ${p}`);
  if (problems.length === 0) console.log(`${CONFIG_FILE}: valid (electron-builder schema and Candlekeep rules)`);
  process.exitCode = problems.length ? 1 : 0;
}
