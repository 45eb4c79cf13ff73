/**
 * The errors Candlekeep raises on purpose, in one module: each kind says who handles it, and the
 * CLI's exit codes are mapped here (HTTP answers carry the error as data: `{ error: { name, message } }`).
 * Messages are one line a user can act on: what is wrong and how to fix it; never a secret or a stack.
 *
 * | kind          | raised by                               | handled by                                             | exit |
 * |---------------|-----------------------------------------|--------------------------------------------------------|------|
 * | UsageError    | argument, option, file or mapping checks | the CLI prints it; the API returns it                  | 2    |
 * | SourceError   | sources and the network layer            | retry (per kind), the ledger (fetch_failed), the user  | 1    |
 * | anything else | a bug                                    | one line, then an ordered shutdown (cli/io.ts)          | 1    |
 */

/** Base of every error raised on purpose. */
export class CandlekeepError extends Error {}

/** The user's input is wrong (arguments, options, a file's columns): fixing the input fixes it. */
export class UsageError extends CandlekeepError {
  override name = 'UsageError';
}

export type SourceErrorKind =
  /** The request was wrong (unknown symbol, bad interval): retrying cannot help. */
  | 'rejected'
  /** The response could not be understood (truncated, malformed): retry, never store. */
  | 'malformed'
  /** Network failure, timeout or 5xx: retry with backoff. */
  | 'unavailable'
  /** 429 / 418: wait for Retry-After. */
  | 'rate_limited';

/** A market-data source failed or refused a request; `kind` says whether retrying can help. */
export class SourceError extends CandlekeepError {
  override name = 'SourceError';
  constructor(
    message: string,
    readonly kind: SourceErrorKind,
    readonly status?: number,
    /** Seconds the server asked us to wait (Retry-After). */
    readonly retryAfterSec?: number,
  ) {
    super(message);
  }
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** The CLI's exit code for an error that ended a command. */
export function exitCodeOf(err: unknown): number {
  return err instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
}
