/**
 * Where Candlekeep keeps its data when no --db is given: the same folder Electron's
 * app.getPath('userData') uses for an app named "Candlekeep", so the CLI and the desktop app share it.
 */
import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'Candlekeep';

export function appDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.CANDLEKEEP_HOME) return path.resolve(env.CANDLEKEEP_HOME);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME);
}

export function defaultDatabasePath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(appDataDir(env), 'candlekeep.db');
}
