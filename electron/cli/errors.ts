/** How the CLI fails: one clear line on stderr, exit 2 for a usage error, 1 for anything else. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** The one line a user sees for an error; never a stack trace. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0]!;
  return String(err);
}
