/**
 * One recorder for every front (IPC, HTTP, WebSocket, CLI): each change and each refused attempt
 * becomes an audit row, its arguments with secrets replaced, so the log can be shown to anyone who
 * may read it. Old rows are pruned after the retention in settings.
 */
import os from 'node:os';
import type { Store } from '../store/store.js';
import type { Clock } from '../net/clock.js';
import type { AuditOutcome } from '../../shared/contract.js';

export interface AuditAttempt {
  actor: string;
  remote: string | null;
  channel: string;
  args?: unknown;
  outcome: AuditOutcome;
  reason?: string | null;
}

/** Argument names whose values are credentials: key values, tokens, passwords, webhook URLs (Slack's carry a secret). */
const SECRET_FIELD = /^value$|key$|token|secret|password|webhook/i;
export const REDACTED = '[redacted]';

/** A copy of `args` with every secret-bearing field replaced. */
export function redactArgs(args: unknown): unknown {
  if (Array.isArray(args)) return args.map(redactArgs);
  if (args === null || typeof args !== 'object') return args;
  return Object.fromEntries(
    Object.entries(args as Record<string, unknown>).map(([k, v]) => [
      k,
      SECRET_FIELD.test(k) && v !== null && v !== undefined ? REDACTED : redactArgs(v),
    ]),
  );
}

/** The actor of a command run in a terminal: who, on which machine. */
export function cliActor(): string {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // no passwd entry (some containers): the host still says where
  }
  return `cli:${user}@${os.hostname()}`;
}

const PRUNE_BATCH = 1_000;
const DAY_MS = 86_400_000;

export class AuditRecorder {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  record(attempt: AuditAttempt): void {
    this.store.audit.append({
      ts: this.clock.now(),
      actor: attempt.actor,
      remote: attempt.remote,
      channel: attempt.channel,
      args: attempt.args === undefined ? null : redactArgs(attempt.args),
      outcome: attempt.outcome,
      reason: attempt.reason ? attempt.reason.split('\n')[0]!.slice(0, 500) : null,
    });
  }

  /** Run `change` (sync or async), recording it as ok, or as an error with its message (then rethrown). */
  recorded<T>(attempt: Omit<AuditAttempt, 'outcome' | 'reason'>, change: () => T): T {
    const failed = (err: unknown): never => {
      this.record({ ...attempt, outcome: 'error', reason: err instanceof Error ? err.message : String(err) });
      throw err;
    };
    let result: T;
    try {
      result = change();
    } catch (err) {
      return failed(err);
    }
    if (result instanceof Promise) {
      return result.then((value: unknown) => {
        this.record({ ...attempt, outcome: 'ok' });
        return value;
      }, failed) as T;
    }
    this.record({ ...attempt, outcome: 'ok' });
    return result;
  }

  /**
   * Remove rows older than the retention, a batch per turn of the event loop so a year of rows never
   * stalls the dashboard; resolves with how many went.
   */
  async prune(): Promise<number> {
    const before = this.clock.now() - this.store.settings.get().audit.retentionDays * DAY_MS;
    let total = 0;
    for (;;) {
      const removed = this.store.audit.pruneBatch(before, PRUNE_BATCH);
      total += removed;
      if (removed < PRUNE_BATCH) return total;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
