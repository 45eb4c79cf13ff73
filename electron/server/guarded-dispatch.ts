/**
 * Every transport's way into the contract: the caller's role is checked against the channel's
 * access (shared/contract.ts CHANNEL_ACCESS) before anything runs, and every change — done, failed
 * or refused — is written to the audit log. Reads are neither refused nor recorded.
 */
import { CHANNEL_ACCESS, mayCall, type Envelope } from '../../shared/contract.js';
import type { AuditRecorder } from '../audit/audit-recorder.js';
import { dispatch, isChannel, type Handlers } from './api.js';
import type { Caller } from './caller.js';

export const FORBIDDEN = 'ForbiddenError';

export interface GuardedApi {
  handlers: Handlers;
  audit: AuditRecorder;
  /** Told of each refusal, by reason (the /metrics counters). */
  onRefused?: (reason: string) => void;
}

export function wrongRoleMessage(channel: string): string {
  return `a read token cannot call ${channel}, which changes things: use an admin token`;
}

export async function callChannel(
  api: GuardedApi,
  caller: Caller,
  channel: string,
  args: unknown,
): Promise<Envelope<unknown>> {
  if (!isChannel(channel, api.handlers)) return dispatch(api.handlers, channel, args, caller);
  const access = CHANNEL_ACCESS[channel];
  const audited = { actor: caller.actor, remote: caller.remote, channel, args };
  if (!mayCall(caller.role, access)) {
    const message = access === 'change' ? wrongRoleMessage(channel) : `${channel} is for admin tokens only`;
    api.audit.record({ ...audited, outcome: 'refused', reason: `wrong role: ${message}` });
    api.onRefused?.('wrong_role');
    return { error: { name: FORBIDDEN, message } };
  }
  const envelope = await dispatch(api.handlers, channel, args, caller);
  if (access === 'change') recordChange(api.audit, caller, channel, args, envelope);
  return envelope;
}

/** A change's audit row from its answer: ok, or the error's message. */
export function recordChange(
  audit: AuditRecorder,
  caller: Caller,
  channel: string,
  args: unknown,
  envelope: Envelope<unknown>,
): void {
  const attempt = { actor: caller.actor, remote: caller.remote, channel, args };
  audit.record(
    'error' in envelope
      ? { ...attempt, outcome: 'error', reason: envelope.error.message }
      : { ...attempt, outcome: 'ok' },
  );
}
