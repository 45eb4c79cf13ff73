/**
 * What the desktop app takes from its command line: `--hidden` (start in the tray, used by start at
 * login) and `--db FILE` (same meaning as in the CLI). Electron and Chromium add their own switches
 * and, unpackaged, the app folder: anything we do not know is ignored, never an error.
 */
import { HIDDEN_FLAG } from './login-item.js';

export interface LaunchOptions {
  hidden: boolean;
  dbPath: string | null;
}

export function parseLaunchArgs(argv: readonly string[]): LaunchOptions {
  let hidden = false;
  let dbPath: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === HIDDEN_FLAG) hidden = true;
    else if (arg === '--db' && i + 1 < argv.length) dbPath = argv[++i]!;
    else if (arg.startsWith('--db=')) dbPath = arg.slice('--db='.length);
  }
  return { hidden, dbPath: dbPath === '' ? null : dbPath };
}
