/** A CliIo whose output is collected in strings, to run `candlekeep` commands in-process in tests. */
import { PassThrough } from 'node:stream';
import type { CliIo } from '../cli/io.js';

export function captureIo(env: NodeJS.ProcessEnv = {}): { io: CliIo; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { io: { stdout, stderr, env, stopSignal: new AbortController().signal }, out: () => out, err: () => err };
}
