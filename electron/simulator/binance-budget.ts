/**
 * Binance's IP request-weight limit as the real server enforces it: weight per minute window,
 * 429 with Retry-After when exceeded, and a 418 ban (2 minutes, doubling up to 3 days) for a client
 * that keeps calling while it was told to wait. Time is the simulator's clock.
 */
import type { Clock } from '../net/clock.js';
import { MINUTE_MS, DAY_MS } from '../../shared/timeframe.js';

export type BudgetVerdict =
  | { kind: 'ok'; used: number }
  | { kind: 'limited'; used: number; retryAfterSec: number; inFlight?: boolean; storm?: boolean }
  | { kind: 'banned'; used: number; retryAfterSec: number; until: number };

const FIRST_BAN_MS = 2 * MINUTE_MS;
const MAX_BAN_MS = 3 * DAY_MS;

interface IpState {
  window: number;
  used: number;
  /** Until when the client was told to wait by a 429. */
  waitUntil: number;
  /** Wall-clock time the last 429 was sent (requests already in flight then are not "continuing"). */
  limitedAtWall: number;
  bannedUntil: number;
  lastBanMs: number;
}

/**
 * Requests that reach the server this soon (wall clock) after a 429 were already on their way when
 * it was sent; they get 429 again but do not count as ignoring it. A client that keeps calling later
 * is banned.
 */
export const IN_FLIGHT_GRACE_MS = 300;

export class BinanceBudget {
  private readonly ips = new Map<string, IpState>();
  /** Weight another client on the same IP spends each minute (simulates a shared IP). */
  extraWeightPerMinute = 0;
  /** A 429 storm: every request is refused until then (simulator time). */
  stormUntil = 0;

  constructor(
    private readonly clock: Clock,
    public limitPerMinute = 6000,
    public enforce = true,
  ) {}

  private state(ip: string): IpState {
    let s = this.ips.get(ip);
    if (!s) {
      s = { window: -1, used: 0, waitUntil: 0, limitedAtWall: 0, bannedUntil: 0, lastBanMs: 0 };
      this.ips.set(ip, s);
    }
    const window = Math.floor(this.clock.now() / MINUTE_MS);
    if (s.window !== window) {
      s.window = window;
      s.used = this.extraWeightPerMinute;
    }
    return s;
  }

  /** Weight used in the current minute, as X-MBX-USED-WEIGHT-1M reports it. */
  used(ip: string): number {
    return this.state(ip).used;
  }

  charge(ip: string, weight: number): BudgetVerdict {
    const now = this.clock.now();
    const s = this.state(ip);
    if (!this.enforce) {
      s.used += weight;
      return { kind: 'ok', used: s.used };
    }
    if (s.bannedUntil > now) {
      return {
        kind: 'banned',
        used: s.used,
        retryAfterSec: Math.ceil((s.bannedUntil - now) / 1000),
        until: s.bannedUntil,
      };
    }
    if (s.waitUntil > now) {
      if (Date.now() - s.limitedAtWall <= IN_FLIGHT_GRACE_MS) {
        return {
          kind: 'limited',
          used: s.used,
          retryAfterSec: Math.max(1, Math.ceil((s.waitUntil - now) / 1000)),
          inFlight: true,
        };
      }
      s.lastBanMs = s.lastBanMs ? Math.min(MAX_BAN_MS, s.lastBanMs * 2) : FIRST_BAN_MS;
      s.bannedUntil = now + s.lastBanMs;
      return { kind: 'banned', used: s.used, retryAfterSec: Math.ceil(s.lastBanMs / 1000), until: s.bannedUntil };
    }
    if (this.stormUntil > now) return { ...this.limit(s, this.stormUntil, now), storm: true };
    s.used += weight;
    if (s.used > this.limitPerMinute) return this.limit(s, (s.window + 1) * MINUTE_MS, now);
    return { kind: 'ok', used: s.used };
  }

  private limit(s: IpState, until: number, now: number): Extract<BudgetVerdict, { kind: 'limited' }> {
    s.waitUntil = until;
    s.limitedAtWall = Date.now();
    return { kind: 'limited', used: s.used, retryAfterSec: Math.max(1, Math.ceil((until - now) / 1000)) };
  }

  reset(): void {
    this.ips.clear();
  }
}
