/**
 * API keys for sources that need them. The engine reads them through this interface; transports only
 * ever learn whether a key is set, never its value (a key, once set, never reaches the renderer again).
 * Two implementations: safeStorage (desktop, encrypted by the OS) and a 0600 file (headless, unencrypted).
 */

/** How a store keeps values, shown to the user next to the keys. */
export type SecretProtection =
  /** Encrypted by the OS keychain / DPAPI / libsecret / kwallet through Electron safeStorage. */
  | 'keyring'
  /** Linux without a keyring: Electron "encrypts" with a fixed key, i.e. obfuscated only. */
  | 'basic_text'
  /** No encryption available at all: nothing can be stored. */
  | 'unavailable'
  /** Headless: a plain file readable only by the user (0600), NOT encrypted. */
  | 'plaintext-file';

export interface SecretInfo {
  name: string;
  updatedAt: number;
}

export interface SecretStore {
  protection(): SecretProtection;
  /** Store (or replace) a value; throws a SecretStorageError when it may not be stored. */
  set(name: string, value: string): SecretInfo;
  /** Forget a value; true when there was one. */
  clear(name: string): boolean;
  has(name: string): boolean;
  /** Names and dates only, never values. */
  list(): SecretInfo[];
  /** The value, for the engine only: never wire this to IPC, HTTP or the WebSocket. */
  get(name: string): string | null;
}

/** A key could not be stored or read; the message says why and what to do. */
export class SecretStorageError extends Error {
  override name = 'SecretStorageError';
}

/**
 * The OS offers no keyring (safeStorage backend 'basic_text'): the user must agree before a key is
 * stored obfuscated-but-not-encrypted. The shell catches this, asks, and retries.
 */
export class PlaintextConsentRequiredError extends SecretStorageError {
  override name = 'PlaintextConsentRequiredError';
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

/** Names like 'coingecko.apiKey' or 'ccxt.kraken.secret': short, no paths, no spaces. */
export function assertSecretName(name: string): void {
  if (!NAME.test(name)) {
    throw new SecretStorageError(
      `invalid key name '${name.slice(0, 80)}': use letters, digits, '.', '_' or '-' (at most 64)`,
    );
  }
}

export const MAX_SECRET_LENGTH = 8_192;

export function assertSecretValue(value: string): void {
  if (value.length === 0 || value.length > MAX_SECRET_LENGTH) {
    throw new SecretStorageError(`a key must be 1 to ${MAX_SECRET_LENGTH} characters long`);
  }
}
