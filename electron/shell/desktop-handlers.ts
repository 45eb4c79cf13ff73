/**
 * Handlers for the desktop-only channels: preferences, start at login, API keys (write-only from the
 * renderer's side), external links. Keys: on Linux without a keyring the user is asked before a key
 * is stored obfuscated-only, and the answer is remembered.
 */
import type { DesktopSettingsView, KeyProtection, SecretStatus } from '../../shared/desktop-contract.js';
import { PlaintextConsentRequiredError, SecretStorageError, type SecretStore } from '../secrets/secret-store.js';
import type { DesktopSettings } from './desktop-settings.js';
import type { DesktopCallContext, DesktopHandlers } from './desktop-dispatch.js';
import type { LoginItem } from './login-item.js';
import { isAllowedExternalUrl } from './security.js';

export interface DesktopHandlerContext {
  settings: DesktopSettings;
  loginItem: LoginItem;
  secrets: SecretStore;
  /** Ask the user whether keys may be stored without a keyring; true means yes. */
  askPlaintextConsent: (context: DesktopCallContext) => Promise<boolean>;
  openExternal: (url: string) => Promise<void>;
  /** A key was set or cleared: say so in the change log, so every engine on this data folder rebuilds its sources. */
  keysChanged: () => void;
}

function keyProtection(secrets: SecretStore): KeyProtection {
  const p = secrets.protection();
  return p === 'plaintext-file' ? 'unavailable' : p;
}

export function settingsView(
  ctx: Pick<DesktopHandlerContext, 'settings' | 'loginItem' | 'secrets'>,
): DesktopSettingsView {
  const prefs = ctx.settings.get();
  return {
    muteNotifications: prefs.muteNotifications,
    startAtLogin: ctx.loginItem.isEnabled(),
    keyProtection: keyProtection(ctx.secrets),
    plaintextKeyConsent: prefs.plaintextKeyConsent,
  };
}

function status(secrets: SecretStore, name: string): SecretStatus {
  const info = secrets.list().find((s) => s.name === name);
  return { name, set: info !== undefined, updatedAt: info?.updatedAt ?? null };
}

export function createDesktopHandlers(ctx: DesktopHandlerContext): DesktopHandlers {
  return {
    'desktop:get-settings': () => settingsView(ctx),
    'desktop:update-settings': (args) => {
      if (args.muteNotifications !== undefined) ctx.settings.update({ muteNotifications: args.muteNotifications });
      if (args.startAtLogin !== undefined) ctx.loginItem.setEnabled(args.startAtLogin);
      return settingsView(ctx);
    },
    'secrets:list': () => ctx.secrets.list().map((s) => ({ name: s.name, set: true, updatedAt: s.updatedAt })),
    'secrets:set': async (args, context) => {
      try {
        ctx.secrets.set(args.name, args.value);
      } catch (err) {
        if (!(err instanceof PlaintextConsentRequiredError)) throw err;
        if (!(await ctx.askPlaintextConsent(context))) {
          throw new SecretStorageError(
            'not stored: this system has no keyring and storing keys without one was declined',
          );
        }
        ctx.settings.update({ plaintextKeyConsent: true });
        ctx.secrets.set(args.name, args.value);
      }
      ctx.keysChanged();
      return status(ctx.secrets, args.name);
    },
    'secrets:clear': (args) => {
      if (ctx.secrets.clear(args.name)) ctx.keysChanged();
      return status(ctx.secrets, args.name);
    },
    'desktop:open-external': async (args) => {
      // Electron security, "Do not use shell.openExternal with untrusted content": only allow-listed https sites.
      if (!isAllowedExternalUrl(args.url)) return { opened: false };
      await ctx.openExternal(args.url);
      return { opened: true };
    },
  };
}

/** The question asked before the first key is stored without a keyring (Linux 'basic_text'). */
export const PLAINTEXT_CONSENT_DIALOG = {
  type: 'warning' as const,
  title: 'No system keyring',
  message: 'Store API keys without encryption?',
  detail:
    'Candlekeep found no system keyring (such as GNOME Keyring or KWallet), so your API keys can only be stored ' +
    'obfuscated, not encrypted: anyone who can read your files could recover them.\n\n' +
    'To encrypt them instead, install and unlock a keyring, then restart Candlekeep. ' +
    'Prefer read-only API keys either way.',
  buttons: ['Cancel', 'Store without encryption'],
  defaultId: 0,
  cancelId: 0,
  noLink: true,
};
