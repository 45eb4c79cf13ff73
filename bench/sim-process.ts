/** The simulator as a separate process (as a real exchange would be), for benchmarks. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** The `candlekeep` command as users run it (the built CLI: bench/run.ts builds it first). */
export const BIN = path.resolve(import.meta.dirname, '../electron/cli/bin.js');

export async function startSimProcess(
  args: string[] = [],
): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [BIN, 'sim', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
