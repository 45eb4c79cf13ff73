/**
 * The JSON file both secret stores keep their entries in: written whole to a temporary file with
 * mode 0600 and renamed over the old one, so a crash never leaves half a file and other users of the
 * machine can never read it (on POSIX; on Windows the file inherits the user profile's ACL).
 * The stores differ only in what they keep as an entry's value (ciphertext or the key itself) and in
 * when they may store one; the entries themselves are kept here.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  SecretStorageError,
  assertSecretName,
  type SecretInfo,
  type SecretProtection,
  type SecretStore,
} from './secret-store.js';

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

function readSecretFile(file: string, encoding: SecretFileContent['encoding']): SecretFileContent {
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

function writeSecretFile(file: string, content: SecretFileContent): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(content, null, 2)}\n`, { mode: SECRET_FILE_MODE });
  // writeFileSync keeps the mode of an existing file: force it, in case an older file was wider.
  fs.chmodSync(tmp, SECRET_FILE_MODE);
  fs.renameSync(tmp, file);
}

/** The entry for `name`, ignoring anything inherited from Object.prototype ('constructor' is a valid name). */
function ownEntry(content: SecretFileContent, name: string): SecretEntry | null {
  return Object.hasOwn(content.entries, name) ? content.entries[name]! : null;
}

/**
 * A key store over one key file: what both stores do alike. Every call reads the file afresh, since
 * another process (the CLI beside a running daemon) may have written it since; every change writes
 * it whole. A store adds when it may store a value, and what it keeps for it (`put`, `stored`).
 */
export abstract class SecretFileStore implements SecretStore {
  protected constructor(
    readonly file: string,
    private readonly encoding: SecretFileContent['encoding'],
    private readonly now: () => number,
  ) {}

  abstract protection(): SecretProtection;
  abstract set(name: string, value: string): SecretInfo;
  abstract get(name: string): string | null;

  clear(name: string): boolean {
    assertSecretName(name);
    const content = readSecretFile(this.file, this.encoding);
    if (ownEntry(content, name) === null) return false;
    delete content.entries[name];
    writeSecretFile(this.file, content);
    return true;
  }

  has(name: string): boolean {
    return ownEntry(readSecretFile(this.file, this.encoding), name) !== null;
  }

  list(): SecretInfo[] {
    const { entries } = readSecretFile(this.file, this.encoding);
    return Object.entries(entries)
      .map(([name, e]) => ({ name, updatedAt: e.updatedAt }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Keeps `value`, already in the file's encoding, under `name` (replacing what was there). */
  protected put(name: string, value: string): SecretInfo {
    const content = readSecretFile(this.file, this.encoding);
    const updatedAt = this.now();
    content.entries[name] = { value, updatedAt };
    writeSecretFile(this.file, content);
    return { name, updatedAt };
  }

  /** What is kept under `name`, still in the file's encoding, or null. */
  protected stored(name: string): string | null {
    return ownEntry(readSecretFile(this.file, this.encoding), name)?.value ?? null;
  }
}
