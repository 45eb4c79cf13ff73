/**
 * The desktop app's own preferences (not the engine's): notification mute, consent to store keys
 * without a keyring, and whether the "still running in the tray" hint was shown. One small JSON file
 * in the app data folder; a damaged file falls back to defaults rather than stopping the app.
 * Start-at-login is not stored here: the OS (login items / autostart entry) is the truth for it.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface DesktopPreferences {
  muteNotifications: boolean;
  /** The user agreed to keep API keys obfuscated-only because the OS has no keyring (Linux basic_text). */
  plaintextKeyConsent: boolean;
  /** The first close-to-tray tells the user the app keeps running; only once. */
  trayHintShown: boolean;
}

export const DEFAULT_PREFERENCES: DesktopPreferences = {
  muteNotifications: false,
  plaintextKeyConsent: false,
  trayHintShown: false,
};

export const PREFERENCES_FILE = 'desktop-settings.json';

export class DesktopSettings {
  readonly file: string;
  private current: DesktopPreferences;
  private readonly listeners = new Set<(p: DesktopPreferences) => void>();

  constructor(dir: string) {
    this.file = path.join(dir, PREFERENCES_FILE);
    this.current = load(this.file);
  }

  get(): DesktopPreferences {
    return { ...this.current };
  }

  update(patch: Partial<DesktopPreferences>): DesktopPreferences {
    const next = { ...this.current };
    for (const key of Object.keys(DEFAULT_PREFERENCES) as Array<keyof DesktopPreferences>) {
      const value = patch[key];
      if (typeof value === 'boolean') next[key] = value;
    }
    this.current = next;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`);
    fs.renameSync(tmp, this.file);
    for (const listener of this.listeners) listener(this.get());
    return this.get();
  }

  onChange(listener: (p: DesktopPreferences) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function load(file: string): DesktopPreferences {
  try {
    const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    const prefs = { ...DEFAULT_PREFERENCES };
    for (const key of Object.keys(DEFAULT_PREFERENCES) as Array<keyof DesktopPreferences>) {
      if (typeof raw[key] === 'boolean') prefs[key] = raw[key];
    }
    return prefs;
  } catch {
    return { ...DEFAULT_PREFERENCES };
  }
}
