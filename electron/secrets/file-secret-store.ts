/**
 * Headless key storage (`candlekeep serve|daemon` in plain Node, where Electron safeStorage does not
 * exist). UNENCRYPTED: values sit in plain text in a file only the user can read (mode 0600), the
 * same protection ~/.netrc or ~/.aws/credentials get. Anyone who can read the user's files can read
 * the keys; use read-only API keys where the exchange offers them.
 */
import path from 'node:path';
import { appDataDir } from '../store/app-paths.js';
import { ownEntry, readSecretFile, writeSecretFile } from './secret-file.js';
import {
  assertSecretName,
  assertSecretValue,
  type SecretInfo,
  type SecretProtection,
  type SecretStore,
} from './secret-store.js';

/** Kept apart from the desktop app's encrypted file: Node cannot decrypt what safeStorage wrote. */
export const HEADLESS_SECRETS_FILE = 'keys.plaintext.json';

export function defaultHeadlessSecretsPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(appDataDir(env), HEADLESS_SECRETS_FILE);
}

export class FileSecretStore implements SecretStore {
  constructor(
    private readonly file: string,
    private readonly now: () => number = Date.now,
  ) {}

  protection(): SecretProtection {
    return 'plaintext-file';
  }

  set(name: string, value: string): SecretInfo {
    assertSecretName(name);
    assertSecretValue(value);
    const content = readSecretFile(this.file, 'plaintext');
    const updatedAt = this.now();
    content.entries[name] = { value, updatedAt };
    writeSecretFile(this.file, content);
    return { name, updatedAt };
  }

  clear(name: string): boolean {
    assertSecretName(name);
    const content = readSecretFile(this.file, 'plaintext');
    if (ownEntry(content, name) === null) return false;
    delete content.entries[name];
    writeSecretFile(this.file, content);
    return true;
  }

  has(name: string): boolean {
    return ownEntry(readSecretFile(this.file, 'plaintext'), name) !== null;
  }

  list(): SecretInfo[] {
    const { entries } = readSecretFile(this.file, 'plaintext');
    return Object.entries(entries)
      .map(([name, e]) => ({ name, updatedAt: e.updatedAt }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): string | null {
    return ownEntry(readSecretFile(this.file, 'plaintext'), name)?.value ?? null;
  }
}
