import { describe, expect, it } from 'vitest';
import { sourceStatus, type StatusInputs } from './source-health.js';

const base: StatusInputs = {
  now: 1_000_000,
  requests: 20,
  successes: 20,
  rateLimited: false,
  banned: false,
  retryAfterUntil: null,
  circuit: 'closed',
  hostsDown: 0,
  hostsTotal: 2,
};

const cases: Array<[string, Partial<StatusInputs>, string]> = [
  ['all requests fine', {}, 'ok'],
  ['nothing asked lately', { requests: 0, successes: 0 }, 'idle'],
  ['one in ten failing', { successes: 17 }, 'degraded'],
  ['a 429 lately', { rateLimited: true }, 'degraded'],
  ['a Retry-After running', { retryAfterUntil: 1_000_500 }, 'degraded'],
  ['one host out of two down', { hostsDown: 1 }, 'degraded'],
  ['every host down', { hostsDown: 2 }, 'down'],
  ['circuit open', { circuit: 'open' }, 'down'],
  ['circuit half-open probing, no traffic', { circuit: 'half_open', requests: 0, successes: 0 }, 'degraded'],
  ['every request failing', { successes: 0 }, 'down'],
  ['two failures only: too few to call it down', { requests: 2, successes: 0 }, 'degraded'],
  ['banned until later', { banned: true, retryAfterUntil: 2_000_000, successes: 0 }, 'banned'],
  ['a ban that has ended', { banned: true, retryAfterUntil: 900_000 }, 'ok'],
];

describe('source status', () => {
  it.each(cases)('%s', (_name, patch, expected) => {
    expect(sourceStatus({ ...base, ...patch })).toBe(expected);
  });
});
