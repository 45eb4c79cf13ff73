/** Shared steps for browser specs: a simulator, a backfilled database, and `candlekeep serve` as a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';

export const BIN = path.resolve('electron/cli/bin.js');

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'candlekeep-e2e-'));
}

/** Start `candlekeep <args>` and resolve with the URL it prints on its first line. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /(?:listening|serving) (http:\/\/[^\s]+)/.exec(out);
      if (match) resolve({ child, url: match[1]! });
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code, signal) => {
      reject(new Error(`candlekeep ${args[0]} exited with ${code}: ${err.trim()}`));
      // After start, only our SIGTERM should end it: say so loudly if it died, a spec failing next is why.
      if (signal !== 'SIGTERM' && code !== 0)
        process.stderr.write(
          `candlekeep ${args[0]} died (exit ${code}, signal ${signal}): ${err.trim().slice(-2000)}\n`,
        );
    });
  });
}

export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr })));
}

export function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Collect console errors and page errors so a spec can assert there were none. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    // With the URL: "Failed to load resource" alone does not say which one.
    if (msg.type() === 'error') errors.push(`${msg.text()}${msg.location().url ? ` (${msg.location().url})` : ''}`);
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}
