/**
 * "Start at login" (tray menu and Settings). macOS and Windows have an OS API (app.setLoginItemSettings); Linux has
 * none in Electron, so we write an XDG autostart entry, which GNOME, KDE, XFCE and others honour.
 * The app always starts hidden (in the tray) when launched at login.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The part of Electron's `app` used here. */
export interface LoginItemApp {
  getLoginItemSettings(options?: { path?: string; args?: string[] }): { openAtLogin: boolean };
  setLoginItemSettings(settings: { openAtLogin: boolean; path?: string; args?: string[] }): void;
}

export interface LoginItemOptions {
  app: LoginItemApp;
  platform: NodeJS.Platform;
  /** process.execPath of the running app. */
  execPath: string;
  /** Unpackaged (npm start): Electron must be told which app folder to run. */
  appPath: string | null;
  env: NodeJS.ProcessEnv;
}

export interface LoginItem {
  isEnabled(): boolean;
  setEnabled(enabled: boolean): void;
}

export const HIDDEN_FLAG = '--hidden';

export function loginItem(options: LoginItemOptions): LoginItem {
  const args = [...(options.appPath ? [options.appPath] : []), HIDDEN_FLAG];
  if (options.platform === 'linux') return xdgAutostart(options, args);
  if (options.platform === 'win32') {
    // Windows matches the registry entry by path AND args, so read with the same ones we write.
    const query = { path: options.execPath, args };
    return {
      isEnabled: () => options.app.getLoginItemSettings(query).openAtLogin,
      setEnabled: (openAtLogin) => options.app.setLoginItemSettings({ openAtLogin, ...query }),
    };
  }
  // macOS: the bundle is registered as a login item; main.ts starts hidden when wasOpenedAtLogin.
  return {
    isEnabled: () => options.app.getLoginItemSettings().openAtLogin,
    setEnabled: (openAtLogin) => options.app.setLoginItemSettings({ openAtLogin }),
  };
}

export function autostartFile(env: NodeJS.ProcessEnv, home = os.homedir()): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'autostart', 'candlekeep.desktop');
}

/** Quote one Exec= argument per the Desktop Entry spec (double quotes; escape " ` $ \). */
export function desktopExecArg(arg: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(arg)) return arg;
  return `"${arg.replace(/(["`$\\])/g, '\\$1')}"`;
}

export function autostartEntry(exec: string, args: string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Candlekeep',
    'Comment=Keeps a local, gap-free database of market candles',
    `Exec=${[exec, ...args].map(desktopExecArg).join(' ')}`,
    'Icon=candlekeep',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

function xdgAutostart(options: LoginItemOptions, args: string[]): LoginItem {
  const file = autostartFile(options.env);
  // Inside an AppImage, execPath points into a temporary mount; APPIMAGE is the file the user keeps.
  const exec = options.env.APPIMAGE || options.execPath;
  return {
    isEnabled: () => fs.existsSync(file),
    setEnabled(enabled) {
      if (!enabled) return fs.rmSync(file, { force: true });
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, autostartEntry(exec, args));
    },
  };
}
