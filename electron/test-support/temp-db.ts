/** A fresh SQLite file in a temporary folder per test, removed afterwards. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function tempDir(prefix = 'candlekeep-test-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function tempDbPath(): { file: string; cleanup: () => void } {
  const { dir, cleanup } = tempDir();
  return { file: path.join(dir, 'candlekeep.db'), cleanup };
}
