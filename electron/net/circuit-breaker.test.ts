import { describe, expect, it } from 'vitest';
import {
  CLOSED,
  nextBreakerState,
  type BreakerConfig,
  type BreakerEvent,
  type BreakerState,
} from './circuit-breaker.js';

const config: BreakerConfig = { failureThreshold: 3, cooldownMs: 1_000, maxCooldownMs: 4_000 };

const cases: Array<[string, BreakerState, BreakerEvent, BreakerState]> = [
  [
    'a failure below the threshold stays closed',
    { kind: 'closed', failures: 1 },
    { type: 'failure', now: 0 },
    { kind: 'closed', failures: 2 },
  ],
  [
    'the threshold-th failure opens',
    { kind: 'closed', failures: 2 },
    { type: 'failure', now: 50 },
    { kind: 'open', until: 1_050, cooldownMs: 1_000 },
  ],
  ['a success closes and forgets failures', { kind: 'closed', failures: 2 }, { type: 'success' }, CLOSED],
  [
    'a request before the cooldown stays open',
    { kind: 'open', until: 1_000, cooldownMs: 1_000 },
    { type: 'request', now: 999 },
    { kind: 'open', until: 1_000, cooldownMs: 1_000 },
  ],
  [
    'a request after the cooldown is a half-open probe',
    { kind: 'open', until: 1_000, cooldownMs: 1_000 },
    { type: 'request', now: 1_000 },
    { kind: 'half_open', probing: true, cooldownMs: 1_000 },
  ],
  [
    'a failed probe reopens with a doubled cooldown',
    { kind: 'half_open', probing: true, cooldownMs: 1_000 },
    { type: 'failure', now: 2_000 },
    { kind: 'open', until: 4_000, cooldownMs: 2_000 },
  ],
  [
    'the cooldown is capped',
    { kind: 'half_open', probing: true, cooldownMs: 4_000 },
    { type: 'failure', now: 0 },
    { kind: 'open', until: 4_000, cooldownMs: 4_000 },
  ],
  ['a successful probe closes', { kind: 'half_open', probing: true, cooldownMs: 2_000 }, { type: 'success' }, CLOSED],
];

describe('circuit breaker transitions', () => {
  it.each(cases)('%s', (_name, state, event, expected) => {
    expect(nextBreakerState(state, event, config)).toEqual(expected);
  });
});
