/**
 * A circuit breaker per source: closed while requests succeed, open after repeated failures (calls
 * fail fast until a cooldown passes), then half-open to let one probe through. State transitions are
 * a pure function with a table of cases in its test (docs/ARCHITECTURE.md "Conventions").
 */
export type BreakerState =
  | { kind: 'closed'; failures: number }
  | { kind: 'open'; until: number; cooldownMs: number }
  | { kind: 'half_open'; probing: boolean; cooldownMs: number };

export type BreakerEvent = { type: 'success' } | { type: 'failure'; now: number } | { type: 'request'; now: number };

export interface BreakerConfig {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** First cooldown; doubles on each failed probe up to maxCooldownMs. */
  cooldownMs: number;
  maxCooldownMs: number;
}

export const DEFAULT_BREAKER: BreakerConfig = { failureThreshold: 8, cooldownMs: 15_000, maxCooldownMs: 5 * 60_000 };

export const CLOSED: BreakerState = { kind: 'closed', failures: 0 };

export function nextBreakerState(
  state: BreakerState,
  event: BreakerEvent,
  config: BreakerConfig = DEFAULT_BREAKER,
): BreakerState {
  switch (event.type) {
    case 'success':
      return CLOSED;
    case 'failure':
      if (state.kind === 'closed') {
        const failures = state.failures + 1;
        return failures >= config.failureThreshold
          ? { kind: 'open', until: event.now + config.cooldownMs, cooldownMs: config.cooldownMs }
          : { kind: 'closed', failures };
      }
      if (state.kind === 'half_open') {
        const cooldownMs = Math.min(config.maxCooldownMs, state.cooldownMs * 2);
        return { kind: 'open', until: event.now + cooldownMs, cooldownMs };
      }
      return state;
    case 'request':
      if (state.kind === 'open' && event.now >= state.until)
        return { kind: 'half_open', probing: true, cooldownMs: state.cooldownMs };
      return state;
  }
}

/** Whether a request may go out in `state` (after applying the 'request' event). */
export function breakerAllows(state: BreakerState): boolean {
  return state.kind === 'closed' || (state.kind === 'half_open' && state.probing);
}

/** A mutable holder around the pure transitions, one per source. */
export class CircuitBreaker {
  private state: BreakerState = CLOSED;
  private probeInFlight = false;
  constructor(private readonly config: BreakerConfig = DEFAULT_BREAKER) {}

  /** Ask to send a request at `now`: null if allowed, else the time the next probe may go. */
  admit(now: number): number | null {
    this.state = nextBreakerState(this.state, { type: 'request', now }, this.config);
    if (this.state.kind === 'closed') return null;
    if (this.state.kind === 'half_open' && !this.probeInFlight) {
      this.probeInFlight = true;
      return null;
    }
    return this.state.kind === 'open' ? this.state.until : now + 1_000;
  }

  success(): void {
    this.probeInFlight = false;
    this.state = nextBreakerState(this.state, { type: 'success' }, this.config);
  }

  failure(now: number): void {
    this.probeInFlight = false;
    this.state = nextBreakerState(this.state, { type: 'failure', now }, this.config);
  }

  get current(): BreakerState {
    return this.state;
  }
}
