/**
 * Headless key storage (`candlekeep serve|daemon` in plain Node, where Electron safeStorage does not
 * exist). UNENCRYPTED: values sit in plain text in a file only the user can read (mode 0600), the
 * same protection ~/.netrc or ~/.aws/credentials get. Anyone who can read the user's files can read
 * the keys; use read-only API keys where the exchange offers them.
 */
import path from 'node:path';
import { appDataDir } from '../store/app-paths.js';
import { SecretFileStore } from './secret-file.js';
import { assertSecretName, assertSecretValue, type SecretInfo, type SecretProtection } from './secret-store.js';

/** Kept apart from the desktop app's encrypted file: Node cannot decrypt what safeStorage wrote. */
export const HEADLESS_SECRETS_FILE = 'keys.plaintext.json';

export function defaultHeadlessSecretsPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(appDataDir(env), HEADLESS_SECRETS_FILE);
}

export class FileSecretStore extends SecretFileStore {
  constructor(file: string, now: () => number = Date.now) {
    super(file, 'plaintext', now);
  }

  protection(): SecretProtection {
    return 'plaintext-file';
  }

  set(name: string, value: string): SecretInfo {
    assertSecretName(name);
    assertSecretValue(value);
    return this.put(name, value);
  }

  get(name: string): string | null {
    return this.stored(name);
  }
}
