/**
 * The electron-builder configuration, checked without the Electron download: the real
 * electron-builder.yml passes electron-builder's own schema validation and Candlekeep's rules
 * (fuses, targets, icons, the native binding outside app.asar). Broken variants are written to a
 * temporary project (node_modules linked, build/ copied), never over the real files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG_FILE, checkBuilderConfig } from './builder-config-check.js';
import { tempDir } from '../../test-support/temp-db.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const REAL_CONFIG = fs.readFileSync(path.join(ROOT, CONFIG_FILE), 'utf8');

const dirs: Array<() => void> = [];
afterEach(() => dirs.splice(0).forEach((cleanup) => cleanup()));

/** A throw-away copy of the project holding `config` as its electron-builder.yml. */
function projectWith(config: string, change: (root: string) => void = () => undefined): string {
  const { dir, cleanup } = tempDir('candlekeep-builder-');
  dirs.push(cleanup);
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  fs.cpSync(path.join(ROOT, 'build'), path.join(dir, 'build'), { recursive: true });
  fs.writeFileSync(path.join(dir, CONFIG_FILE), config);
  change(dir);
  return dir;
}

/** The real configuration with one line replaced; fails loudly if that line is gone. */
function realConfigWith(line: string, replacement: string): string {
  expect(REAL_CONFIG).toContain(line);
  return REAL_CONFIG.replace(line, replacement);
}

describe('electron-builder.yml', () => {
  it('the real configuration has no problems', async () => {
    expect(await checkBuilderConfig(ROOT)).toEqual([]);
  });

  it('the same configuration in a copy of the project has none either (the copy is faithful)', async () => {
    expect(await checkBuilderConfig(projectWith(REAL_CONFIG))).toEqual([]);
  });

  it('a flipped fuse is reported', async () => {
    const root = projectWith(realConfigWith('  runAsNode: false', '  runAsNode: true'));
    expect(await checkBuilderConfig(root)).toEqual(['electronFuses.runAsNode must be false']);
  });

  it('a missing icon is reported', async () => {
    const root = projectWith(REAL_CONFIG, (dir) => fs.rmSync(path.join(dir, 'build', 'icon.ico')));
    expect(await checkBuilderConfig(root)).toEqual([
      expect.stringMatching(/^Windows icon build\/icon\.ico does not exist/),
    ]);
  });

  it('a key electron-builder does not know is reported by its schema', async () => {
    const root = projectWith(`${REAL_CONFIG}\nnotAnElectronBuilderOption: true\n`);
    const problems = await checkBuilderConfig(root);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/does not match electron-builder's schema.*notAnElectronBuilderOption/s);
  });

  it('the native binding left inside app.asar is reported', async () => {
    const root = projectWith(realConfigWith('    to: native/better_sqlite3.node', '    to: better_sqlite3.node'));
    expect(await checkBuilderConfig(root)).toEqual([
      expect.stringMatching(/^extraResources must ship out\/native\/better_sqlite3\.node/),
    ]);
  });
});
