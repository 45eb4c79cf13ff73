/** How the CLI fails: one clear line on stderr, and the exit code electron/errors.ts maps. */
export { UsageError, EXIT_OK, EXIT_FAILURE, EXIT_USAGE, exitCodeOf } from '../errors.js';

/** The one line a user sees for an error; never a stack trace. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0]!;
  return String(err);
}
