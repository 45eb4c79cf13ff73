/**
 * Channels and events only the desktop app answers, next to the engine contract in contract.ts: the
 * headless server has no tray, no OS keyring and no login item, so these never travel over HTTP.
 * The preload's `window.candlekeep` carries both maps over the same two IPC channels.
 */
import type { CandlekeepBridge, Channel, EventName } from './contract.js';

/** How API keys are protected on this machine (see electron/secrets/secret-store.ts). */
export type KeyProtection = 'keyring' | 'basic_text' | 'unavailable';

export interface DesktopSettingsView {
  muteNotifications: boolean;
  startAtLogin: boolean;
  keyProtection: KeyProtection;
  /** The user agreed to store keys without a keyring (only meaningful with 'basic_text'). */
  plaintextKeyConsent: boolean;
}

/** What the renderer may know about a key: whether it is set, never its value. */
export interface SecretStatus {
  name: string;
  set: boolean;
  updatedAt: number | null;
}

export interface DesktopContract {
  'desktop:get-settings': () => DesktopSettingsView;
  'desktop:update-settings': (args: { muteNotifications?: boolean; startAtLogin?: boolean }) => DesktopSettingsView;
  'secrets:list': () => SecretStatus[];
  /** Write-only: the value goes to main and is encrypted there; it never comes back. */
  'secrets:set': (args: { name: string; value: string }) => SecretStatus;
  'secrets:clear': (args: { name: string }) => SecretStatus;
  /** Open a link in the user's browser, if its site is on the allow-list. */
  'desktop:open-external': (args: { url: string }) => { opened: boolean };
}

export type DesktopChannel = keyof DesktopContract;

/** Which desktop channels change something (and are audited), beside the engine's CHANNEL_ACCESS. */
export const DESKTOP_CHANNEL_CHANGES = {
  'desktop:get-settings': false,
  'desktop:update-settings': true,
  'secrets:list': false,
  'secrets:set': true,
  'secrets:clear': true,
  'desktop:open-external': false,
} as const satisfies Record<DesktopChannel, boolean>;
export type DesktopArgsOf<C extends DesktopChannel> =
  Parameters<DesktopContract[C]> extends [] ? void : Parameters<DesktopContract[C]>[0];
export type DesktopResultOf<C extends DesktopChannel> = ReturnType<DesktopContract[C]>;

export interface DesktopEventMap {
  /** Main asks the dashboard to show a page (a notification was clicked). */
  'desktop:navigate': { page: string };
}

export type DesktopEventName = keyof DesktopEventMap;

export interface DesktopBridge {
  invoke<C extends DesktopChannel>(
    channel: C,
    ...args: DesktopArgsOf<C> extends void ? [] : [DesktopArgsOf<C>]
  ): Promise<DesktopResultOf<C>>;
  on<E extends DesktopEventName>(event: E, listener: (payload: DesktopEventMap[E]) => void): () => void;
}

/** What the preload exposes as `window.candlekeep` in the desktop app. */
export type DesktopCandlekeepBridge = CandlekeepBridge & DesktopBridge;

/** Compile-time guard: a desktop channel or event must never shadow an engine one. */
export type _NoSharedChannels = [Extract<DesktopChannel, Channel>] extends [never] ? true : never;
export type _NoSharedEvents = [Extract<DesktopEventName, EventName>] extends [never] ? true : never;
export const _desktopContractIsDisjoint: [_NoSharedChannels, _NoSharedEvents] = [true, true];
