/**
 * Makes the second better-sqlite3 binary the desktop app loads (see ../native-binding.ts): built
 * for Electron's ABI in a scratch copy of the package, so node_modules keeps the Node build the CLI
 * uses. A prebuilt binary is downloaded first (prebuild-install, as better-sqlite3's own install
 * does); failing that, it is compiled against Electron's headers with node-gyp. The result is
 * checked by loading it in Electron, cached per (better-sqlite3, Electron, platform, arch) in
 * node_modules/.cache, and staged in out/native for `npm start` and for the installers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { BINDING_FILE, STAMP_FILE, sameStamp, stagedNativeDir, type BindingStamp } from '../native-binding.js';
import { runProcess, tail, type Runner } from './process-runner.js';

export interface NativeTarget {
  runtime: 'electron' | 'node';
  /** Electron version (runtime 'electron') or Node version (runtime 'node'). */
  version: string;
  abi: string;
  platform: NodeJS.Platform;
  arch: string;
}

export interface EnsureBindingOptions {
  root: string;
  target: NativeTarget;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  run?: Runner;
  /** Load the built file in the target runtime; throws when it does not load. */
  verify?: (bindingFile: string) => Promise<void>;
  /** Where to stage it (default out/native). */
  outDir?: string;
}

export class NativeBuildError extends Error {
  override name = 'NativeBuildError';
}

const ELECTRON_HEADERS = 'https://electronjs.org/headers';

function stampFor(root: string, target: NativeTarget): BindingStamp {
  const pkg = JSON.parse(
    fs.readFileSync(path.join(root, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8'),
  ) as { version: string };
  return {
    betterSqlite3: pkg.version,
    electron: target.runtime === 'electron' ? target.version : `node-${target.version}`,
    abi: target.abi,
    platform: target.platform,
    arch: target.arch,
  };
}

function readStamp(dir: string): BindingStamp | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, STAMP_FILE), 'utf8')) as BindingStamp;
  } catch {
    return null;
  }
}

function place(from: string, dir: string, stamp: BindingStamp): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, BINDING_FILE);
  fs.copyFileSync(from, file);
  fs.writeFileSync(path.join(dir, STAMP_FILE), `${JSON.stringify(stamp, null, 2)}\n`);
  return file;
}

/** The staged binding for `target`, building (or taking from the cache) only what is missing. */
export async function ensureNativeBinding(o: EnsureBindingOptions): Promise<string> {
  const stamp = stampFor(o.root, o.target);
  const outDir = o.outDir ?? stagedNativeDir(o.root);
  const staged = path.join(outDir, BINDING_FILE);
  const current = readStamp(outDir);
  if (current && sameStamp(current, stamp) && fs.existsSync(staged)) return staged;

  const cacheRoot = path.join(o.root, 'node_modules', '.cache', 'candlekeep-native');
  const cacheDir = path.join(
    cacheRoot,
    `better-sqlite3-${stamp.betterSqlite3}-${stamp.electron}-${stamp.platform}-${stamp.arch}`,
  );
  const cached = path.join(cacheDir, BINDING_FILE);
  if (!fs.existsSync(cached)) {
    const built = await build(o, cacheRoot);
    try {
      await o.verify?.(built.file);
      place(built.file, cacheDir, stamp);
    } catch (err) {
      throw new NativeBuildError(
        `the better-sqlite3 built for ${describe(o.target)} does not load there: ${(err as Error).message.split('\n')[0]}`,
      );
    } finally {
      fs.rmSync(built.workDir, { recursive: true, force: true });
    }
  }
  return place(cached, outDir, stamp);
}

function describe(target: NativeTarget): string {
  return `${target.runtime === 'electron' ? 'Electron' : 'Node'} ${target.version} (ABI ${target.abi}, ${target.platform}-${target.arch})`;
}

async function build(o: EnsureBindingOptions, cacheRoot: string): Promise<{ file: string; workDir: string }> {
  const run = o.run ?? runProcess;
  const req = createRequire(path.join(o.root, 'package.json'));
  const source = path.join(o.root, 'node_modules', 'better-sqlite3');
  fs.mkdirSync(cacheRoot, { recursive: true });
  const workDir = fs.mkdtempSync(path.join(cacheRoot, 'build-'));
  const pkgDir = path.join(workDir, 'better-sqlite3');
  // A scratch copy without build/: building in place would replace the CLI's Node binary.
  fs.cpSync(source, pkgDir, { recursive: true, filter: (p) => !p.startsWith(path.join(source, 'build')) });
  const file = path.join(pkgDir, 'build', 'Release', BINDING_FILE);
  const env = { ...o.env, ELECTRON_RUN_AS_NODE: undefined };
  const { target } = o;
  const runtimeArgs =
    target.runtime === 'electron'
      ? ['--runtime=electron', `--target=${target.version}`]
      : [`--target=${target.version}`];

  o.log(`candlekeep: preparing better-sqlite3 for ${describe(target)}, once: downloading a prebuilt binary…`);
  const prebuilt = await run(
    process.execPath,
    [
      req.resolve('prebuild-install/bin.js'),
      ...runtimeArgs,
      `--arch=${target.arch}`,
      `--platform=${target.platform}`,
      '--verbose',
    ],
    { cwd: pkgDir, env },
  );
  if (prebuilt.code === 0 && fs.existsSync(file)) return { file, workDir };

  o.log('candlekeep: no prebuilt binary available; compiling it from source (about a minute)…');
  const gyp = nodeGyp(o.env, req);
  if (!gyp) {
    fs.rmSync(workDir, { recursive: true, force: true });
    throw new NativeBuildError(
      `cannot prepare better-sqlite3 for ${describe(target)}: no prebuilt binary (${lastLine(prebuilt.output)}) and node-gyp was not found; run "npm start" again with internet access`,
    );
  }
  const gypArgs = ['rebuild', '--release', ...runtimeArgs, `--arch=${target.arch}`];
  if (target.runtime === 'electron')
    gypArgs.push(`--dist-url=${ELECTRON_HEADERS}`, `--devdir=${path.join(cacheRoot, 'electron-gyp')}`);
  const compiled = await run(process.execPath, [gyp, ...gypArgs], { cwd: pkgDir, env });
  if (compiled.code !== 0 || !fs.existsSync(file)) {
    fs.rmSync(workDir, { recursive: true, force: true });
    throw new NativeBuildError(
      `cannot prepare better-sqlite3 for ${describe(target)}: no prebuilt binary could be downloaded and compiling failed:\n${tail(compiled.output)}\n` +
        'Install a C++ toolchain and Python 3 (Linux: build-essential python3; macOS: xcode-select --install; Windows: Visual Studio Build Tools), then run "npm start" again. The headless dashboard needs none of this: npx candlekeep serve',
    );
  }
  return { file, workDir };
}

function lastLine(output: string): string {
  return tail(output, 1) || 'no output';
}

/** npm tells scripts where its bundled node-gyp is; otherwise one installed in node_modules. */
function nodeGyp(env: NodeJS.ProcessEnv, req: NodeJS.Require): string | null {
  if (env.npm_config_node_gyp && fs.existsSync(env.npm_config_node_gyp)) return env.npm_config_node_gyp;
  try {
    return req.resolve('node-gyp/bin/node-gyp.js');
  } catch {
    return null;
  }
}

/** Check by loading the binding in Electron itself (ELECTRON_RUN_AS_NODE works in unpackaged Electron). */
export function verifyInElectron(
  electronBinary: string,
  root: string,
  run: Runner = runProcess,
): (bindingFile: string) => Promise<void> {
  return async (bindingFile) => {
    const script =
      "const D=require(process.argv[1]);const db=new D(':memory:',{nativeBinding:process.argv[2]});db.prepare('select sqlite_version() v').get();db.close()";
    const betterSqlite3 = createRequire(path.join(root, 'package.json')).resolve('better-sqlite3');
    const result = await run(electronBinary, ['-e', script, betterSqlite3, bindingFile], {
      cwd: root,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    if (result.code !== 0) throw new Error(tail(result.output, 3) || `exit code ${result.code}`);
  };
}
