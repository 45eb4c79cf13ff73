/** The CLI process's last line of defence: an error nothing caught stops a long-running command in order, exit 1. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const IO = fileURLToPath(new URL('./io.ts', import.meta.url));

/** A long-running command in miniature: it waits for its stop signal, then "closes its database". */
const SCRIPT = `
import { processIo, stoppedBy, untilStopped } from ${JSON.stringify(IO)};
const io = processIo();
setTimeout(() => Promise.reject(new Error('a bug in a detached promise')), 10);
await untilStopped(io.stopSignal);
process.stdout.write('closed in order\\n');
process.exitCode = stoppedBy(io.stopSignal);
`;

describe('processIo', () => {
  it('an unhandled rejection: one line on stderr, an ordered stop, exit 1', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stderr.trim()).toBe('candlekeep: unexpected error, shutting down: a bug in a detached promise');
    expect(run.stdout).toBe('closed in order\n');
    expect(run.status).toBe(1);
  });
});
