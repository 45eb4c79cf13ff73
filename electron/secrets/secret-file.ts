/**
 * The JSON file both secret stores keep their entries in: written whole to a temporary file with
 * mode 0600 and renamed over the old one, so a crash never leaves half a file and other users of the
 * machine can never read it (on POSIX; on Windows the file inherits the user profile's ACL).
 */
import fs from 'node:fs';
import path from 'node:path';
import { SecretStorageError } from './secret-store.js';

export interface SecretEntry {
  /** Base64 ciphertext (safeStorage) or the plain value (headless file), per the file's `encoding`. */
  value: string;
  updatedAt: number;
}

export interface SecretFileContent {
  version: 1;
  encoding: 'safeStorage-base64' | 'plaintext';
  entries: Record<string, SecretEntry>;
}

export const SECRET_FILE_MODE = 0o600;

export function readSecretFile(file: string, encoding: SecretFileContent['encoding']): SecretFileContent {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, encoding, entries: {} };
    throw new SecretStorageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  let parsed: Partial<SecretFileContent>;
  try {
    parsed = JSON.parse(text) as Partial<SecretFileContent>;
  } catch {
    throw new SecretStorageError(`${file} is damaged (not JSON); delete it and set the keys again`);
  }
  if (
    parsed.version !== 1 ||
    parsed.encoding !== encoding ||
    typeof parsed.entries !== 'object' ||
    parsed.entries === null
  ) {
    throw new SecretStorageError(
      `${file} is not a ${encoding} key file of this Candlekeep; move it away and set the keys again`,
    );
  }
  return { version: 1, encoding, entries: { ...parsed.entries } };
}

export function writeSecretFile(file: string, content: SecretFileContent): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(content, null, 2)}\n`, { mode: SECRET_FILE_MODE });
  // writeFileSync keeps the mode of an existing file: force it, in case an older file was wider.
  fs.chmodSync(tmp, SECRET_FILE_MODE);
  fs.renameSync(tmp, file);
}

/** The entry for `name`, ignoring anything inherited from Object.prototype ('constructor' is a valid name). */
export function ownEntry(content: SecretFileContent, name: string): SecretEntry | null {
  return Object.hasOwn(content.entries, name) ? content.entries[name]! : null;
}
