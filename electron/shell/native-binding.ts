/**
 * better-sqlite3 is a native addon compiled for one runtime ABI. The CLI loads the copy npm built in
 * node_modules for Node; the desktop app loads a second copy built for Electron's ABI, passed to
 * better-sqlite3 through its `nativeBinding` option. This module only says where that copy lives;
 * tooling/native-rebuild.ts makes it. No Electron import: the launcher (plain Node) uses it too.
 *
 *   unpackaged (npm start):  <app>/out/native/better_sqlite3.node  (+ better_sqlite3.json stamp)
 *   packaged (installers):   <resources>/native/better_sqlite3.node (electron-builder extraResources)
 */
import path from 'node:path';

export const NATIVE_DIR = 'native';
export const BINDING_FILE = 'better_sqlite3.node';
export const STAMP_FILE = 'better_sqlite3.json';

/** What a staged binding was built for; any mismatch means rebuild. */
export interface BindingStamp {
  betterSqlite3: string;
  electron: string;
  /** NODE_MODULE_VERSION of that Electron. */
  abi: string;
  platform: string;
  arch: string;
}

export function stagedNativeDir(appRoot: string): string {
  return path.join(appRoot, 'out', NATIVE_DIR);
}

export function electronBindingPath(where: { isPackaged: boolean; resourcesPath: string; appPath: string }): string {
  return where.isPackaged
    ? path.join(where.resourcesPath, NATIVE_DIR, BINDING_FILE)
    : path.join(stagedNativeDir(where.appPath), BINDING_FILE);
}

export function sameStamp(a: BindingStamp, b: BindingStamp): boolean {
  return (
    a.betterSqlite3 === b.betterSqlite3 &&
    a.electron === b.electron &&
    a.abi === b.abi &&
    a.platform === b.platform &&
    a.arch === b.arch
  );
}
