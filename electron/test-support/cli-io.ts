/** A CliIo whose output is collected in strings, to run `candlekeep` commands in-process in tests. */
import { PassThrough } from 'node:stream';
import type { CliIo } from '../cli/io.js';
import { main } from '../cli/main.js';

export function captureIo(env: NodeJS.ProcessEnv = {}): { io: CliIo; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { io: { stdout, stderr, env, stopSignal: new AbortController().signal }, out: () => out, err: () => err };
}

/** What one `candlekeep` command did: its exit code and everything it printed. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs one `candlekeep` command in this process, with `env` as the whole of its environment. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const { io, out, err } = captureIo(env);
  const code = await main(args, io);
  return { code, out: out(), err: err() };
}
