/**
 * Retry only what can succeed (docs/SOURCES.md "How errors map to outcomes"): network errors, timeouts,
 * 5xx and malformed bodies are retried with exponential backoff and full jitter, bounded in attempts and
 * in total time; a rate limit waits at least its Retry-After; anything else fails at once with the
 * server's message.
 */
import type { Clock } from './clock.js';
import { SourceError } from '../errors.js';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Give up when the next wait would end later than this after the first attempt. */
  maxTotalMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxTotalMs: 5 * 60_000,
};

export function isRetryable(err: unknown): boolean {
  return err instanceof SourceError && err.kind !== 'rejected';
}

/** Full-jitter exponential backoff: uniform in [0, min(max, base * 2^attempt)). */
export function backoffDelay(policy: RetryPolicy, attempt: number, random = Math.random): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}

export interface RetryHooks {
  /** Called before each wait with the error that caused it. */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  signal?: AbortSignal;
  random?: () => number;
}

export async function withRetry<T>(
  clock: Clock,
  policy: RetryPolicy,
  fn: () => Promise<T>,
  hooks: RetryHooks = {},
): Promise<T> {
  const started = clock.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isRetryable(err) || attempt + 1 >= policy.maxAttempts || hooks.signal?.aborted) throw err;
      let delay = backoffDelay(policy, attempt, hooks.random);
      if (err instanceof SourceError && err.retryAfterSec !== undefined)
        delay = Math.max(delay, err.retryAfterSec * 1000);
      if (clock.now() + delay - started > policy.maxTotalMs) throw err;
      hooks.onRetry?.(err, attempt + 1, delay);
      await clock.sleep(delay, hooks.signal);
    }
  }
}
