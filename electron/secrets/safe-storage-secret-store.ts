/**
 * Desktop key storage: every value is encrypted with Electron safeStorage (macOS Keychain, Windows
 * DPAPI, libsecret/kwallet on Linux) BEFORE it is written, and only ciphertext ever touches disk.
 * Where Linux has no keyring, safeStorage falls back to 'basic_text' (a fixed, public key: obfuscation,
 * not encryption); then nothing is stored until the user has agreed to that.
 * This module takes safeStorage as a parameter and does not import Electron, so it runs in tests.
 */
import path from 'node:path';
import { SecretFileStore } from './secret-file.js';
import {
  PlaintextConsentRequiredError,
  SecretStorageError,
  assertSecretName,
  assertSecretValue,
  type SecretInfo,
  type SecretProtection,
} from './secret-store.js';

/** The part of Electron's safeStorage this store uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron; absent or meaningless elsewhere. */
  getSelectedStorageBackend?(): string;
}

export interface SafeStorageSecretStoreOptions {
  safeStorage: SafeStorageLike;
  /** Folder of the encrypted key file (the app data folder). */
  dir: string;
  platform?: NodeJS.Platform;
  /** Whether the user has agreed to store keys without a keyring (asked by the shell, kept in settings). */
  plaintextConsent: () => boolean;
  now?: () => number;
}

export const ENCRYPTED_SECRETS_FILE = 'keys.safe-storage.json';

export class SafeStorageSecretStore extends SecretFileStore {
  private readonly platform: NodeJS.Platform;

  constructor(private readonly options: SafeStorageSecretStoreOptions) {
    super(path.join(options.dir, ENCRYPTED_SECRETS_FILE), 'safeStorage-base64', options.now ?? Date.now);
    this.platform = options.platform ?? process.platform;
  }

  /** Call after app 'ready': before it, Linux reports no backend and encryption is unavailable. */
  protection(): SecretProtection {
    const { safeStorage } = this.options;
    if (!safeStorage.isEncryptionAvailable()) return 'unavailable';
    if (this.platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') return 'basic_text';
    return 'keyring';
  }

  set(name: string, value: string): SecretInfo {
    assertSecretName(name);
    assertSecretValue(value);
    const protection = this.protection();
    if (protection === 'unavailable') {
      throw new SecretStorageError(
        'the system offers no encryption for keys right now (keyring locked or missing); unlock it and try again',
      );
    }
    if (protection === 'basic_text' && !this.options.plaintextConsent()) {
      throw new PlaintextConsentRequiredError(
        'no system keyring was found (safeStorage backend basic_text): keys would be stored obfuscated but not encrypted; agree to that first, or install and unlock gnome-keyring or KWallet',
      );
    }
    const ciphertext = this.options.safeStorage.encryptString(value).toString('base64');
    return this.put(name, ciphertext);
  }

  get(name: string): string | null {
    const ciphertext = this.stored(name);
    if (ciphertext === null) return null;
    try {
      return this.options.safeStorage.decryptString(Buffer.from(ciphertext, 'base64'));
    } catch {
      // The keyring changed (new login keychain, reinstalled OS): the ciphertext is unreadable forever.
      throw new SecretStorageError(
        `the stored key '${name}' can no longer be decrypted (the system keyring changed); set it again`,
      );
    }
  }
}
