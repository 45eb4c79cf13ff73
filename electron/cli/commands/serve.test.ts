/** `candlekeep serve`'s security options refused on bad input before anything starts or is created. */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { main } from '../main.js';
import { captureIo } from '../../test-support/cli-io.js';
import { tempDir } from '../../test-support/temp-db.js';

const dir = tempDir();
afterAll(() => dir.cleanup());

describe('candlekeep serve options', () => {
  it.each([
    [
      'a non-loopback bind with no token anywhere',
      ['--host', '0.0.0.0'],
      /--host 0\.0\.0\.0 is reachable from other machines: create a token first \('candlekeep tokens add NAME --role admin'\)/,
    ],
    [
      'an origin with a path',
      ['--allow-origin', 'https://tools.example/app'],
      /--allow-origin 'https:\/\/tools\.example\/app' is not an origin/,
    ],
    [
      'an origin without a scheme',
      ['--allow-origin', 'tools.example'],
      /is not an origin: write scheme, host and port only/,
    ],
    [
      'a host with a scheme',
      ['--allow-host', 'http://candles.lan'],
      /--allow-host 'http:\/\/candles\.lan' is not a host name/,
    ],
    ['a short token', ['--token', 'short'], /at least 16 characters/],
  ])('%s: one line, exit 2, no database made', async (_name, args, message) => {
    const db = path.join(dir.dir, 'never.db');
    const { io, out, err } = captureIo({ CANDLEKEEP_HOME: dir.dir });
    expect(await main(['serve', '--port', '0', '--db', db, ...args], io)).toBe(2);
    expect(out()).toBe('');
    expect(err().trim().split('\n')).toHaveLength(1);
    expect(err()).toMatch(message);
    expect(fs.existsSync(db)).toBe(false);
  });
});
