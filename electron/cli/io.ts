/** What a command may touch of the process, injectable so commands run in tests without spawning. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  /**
   * Aborts when the command must stop: the user asked (SIGINT/SIGTERM; no reason), or an error
   * escaped every handler (its reason is that error: long-running commands shut down in order and
   * exit 1, see `stoppedBy`).
   */
  stopSignal: AbortSignal;
}

export function processIo(): CliIo {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // An error nothing caught is a bug: say so in one line, then stop in order (the database closed,
  // requests drained) rather than die mid-write or run on in an unknown state.
  const crashed = (err: unknown): void => {
    line(
      process.stderr,
      `candlekeep: unexpected error, shutting down: ${err instanceof Error ? err.message : String(err)}`,
    );
    process.exitCode = 1;
    if (controller.signal.aborted) return;
    controller.abort(err instanceof Error ? err : new Error(String(err)));
    // A shutdown that hangs after a crash is given up on.
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('unhandledRejection', crashed);
  process.on('uncaughtException', crashed);
  // `candlekeep export | head` closes the pipe early: that is the reader's choice, not a failure.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, stopSignal: controller.signal };
}

export function line(stream: NodeJS.WritableStream, text: string): void {
  stream.write(`${text}\n`);
}

/** The exit code of a long-running command once its stop signal fired: 1 after a crash, 0 when asked to stop. */
export function stoppedBy(signal: AbortSignal): number {
  return signal.reason instanceof Error && signal.reason.name !== 'AbortError' ? 1 : 0;
}

/** Resolves when the command is asked to stop (at once if it already was). */
export function untilStopped(signal: AbortSignal): Promise<void> {
  return signal.aborted
    ? Promise.resolve()
    : new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
