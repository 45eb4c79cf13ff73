/**
 * The desktop key store: only safeStorage ciphertext reaches the disk, and on Linux without
 * a keyring ('basic_text', obfuscation only) nothing is stored until the user agreed. safeStorage is
 * the stand-in's (the real one needs the Electron binary); the file is real.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SafeStorageSecretStore } from './safe-storage-secret-store.js';
import { PlaintextConsentRequiredError, SecretStorageError } from './secret-store.js';
import { createElectronStub } from '../test-support/electron-stub.js';
import { tempDir } from '../test-support/temp-db.js';

const KEY = 'CG-demo-4f1c2a9e7b';
const dirs: Array<() => void> = [];
afterEach(() => dirs.splice(0).forEach((cleanup) => cleanup()));

function store(
  options: { backend?: string; available?: boolean; platform?: NodeJS.Platform; consent?: () => boolean } = {},
) {
  const { dir, cleanup } = tempDir();
  dirs.push(cleanup);
  const stub = createElectronStub({ keyringBackend: options.backend, encryptionAvailable: options.available });
  const secrets = new SafeStorageSecretStore({
    safeStorage: stub.safeStorage,
    dir,
    platform: options.platform ?? 'linux',
    plaintextConsent: options.consent ?? (() => false),
  });
  return { secrets, stub };
}

describe('SafeStorageSecretStore', () => {
  it('writes only ciphertext: the file holds neither the key nor its base64, and reads it back', () => {
    const { secrets } = store();
    secrets.set('coingecko.apiKey', KEY);
    const onDisk = fs.readFileSync(secrets.file, 'utf8');
    expect(onDisk).not.toContain(KEY);
    expect(onDisk).not.toContain(Buffer.from(KEY).toString('base64'));
    expect(secrets.get('coingecko.apiKey')).toBe(KEY);
    expect(fs.statSync(secrets.file).mode & 0o777).toBe(0o600);
  });

  it('on Linux basic_text, refuses a key without consent and writes nothing', () => {
    const { secrets } = store({ backend: 'basic_text' });
    expect(secrets.protection()).toBe('basic_text');
    expect(() => secrets.set('coingecko.apiKey', KEY)).toThrow(PlaintextConsentRequiredError);
    expect(fs.existsSync(secrets.file)).toBe(false);
  });

  it('on Linux basic_text, stores the key (still through safeStorage) once the user agreed', () => {
    let consent = false;
    const { secrets } = store({ backend: 'basic_text', consent: () => consent });
    expect(() => secrets.set('coingecko.apiKey', KEY)).toThrow(PlaintextConsentRequiredError);
    consent = true;
    secrets.set('coingecko.apiKey', KEY);
    expect(fs.readFileSync(secrets.file, 'utf8')).not.toContain(KEY);
    expect(secrets.get('coingecko.apiKey')).toBe(KEY);
  });

  it('refuses every key while the system offers no encryption (keyring locked)', () => {
    const { secrets } = store({ available: false });
    expect(() => secrets.set('coingecko.apiKey', KEY)).toThrow(/no encryption/);
    expect(fs.existsSync(secrets.file)).toBe(false);
  });

  it('a key the keyring can no longer decrypt is a clear error, not garbage', () => {
    const { secrets } = store();
    secrets.set('coingecko.apiKey', KEY);
    const content = JSON.parse(fs.readFileSync(secrets.file, 'utf8'));
    content.entries['coingecko.apiKey'].value = Buffer.from('not safeStorage output').toString('base64');
    fs.writeFileSync(secrets.file, JSON.stringify(content));
    expect(() => secrets.get('coingecko.apiKey')).toThrow(SecretStorageError);
    expect(() => secrets.get('coingecko.apiKey')).toThrow(/set it again/);
  });
});
