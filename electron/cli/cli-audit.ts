/** The CLI's changes go to the same audit log as the dashboard's, as the OS user who ran the command. */
import type { Store } from '../store/store.js';
import { systemClock } from '../engine/clock.js';
import { AuditRecorder, cliActor } from '../audit/audit-recorder.js';

/** Run a change made by a command, recorded as ok, or as an error with its message (then rethrown). */
export function auditedChange<T>(store: Store, channel: string, args: unknown, change: () => T): T {
  return new AuditRecorder(store, systemClock).recorded({ actor: cliActor(), remote: 'local', channel, args }, change);
}
