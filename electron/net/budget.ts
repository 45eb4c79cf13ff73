/**
 * A request-weight budget shared by every series, job and source object that calls the same API
 * host (or group of hosts counted together, like Binance's per-IP weight). It spends before a request
 * leaves, never more than the limit in ANY window-long interval (a sliding window, so clock skew
 * against the server's fixed windows cannot push us over), takes the server's own counter into
 * account (weight used by other programs on the same IP lowers what we may use), and stops every
 * request while a Retry-After is running. Waiters are served by priority, then first come.
 */
import type { Clock } from './clock.js';

/** Lower is more urgent: live tail before repairs before long backfills. */
export const PRIORITY = { live: 0, repair: 1, backfill: 2 } as const;
export type Priority = (typeof PRIORITY)[keyof typeof PRIORITY];

export interface BudgetConfig {
  /** Weight allowed per window. */
  limit: number;
  windowMs: number;
  /** Fraction of the limit kept unused as a safety margin (requests in flight, rounding). */
  reserve?: number;
}

export interface BudgetSnapshot {
  key: string;
  limit: number;
  windowMs: number;
  /** Weight we spent in the last window. */
  used: number;
  /** Weight others spend per window on the same IP, as the server's counter shows. */
  external: number;
  pausedUntil: number | null;
  waiting: number;
  /** This process's part of the limit (1 alone; 1/n for n collectors of a fleet behind one IP). */
  share: number;
}

interface Waiter {
  weight: number;
  priority: number;
  seq: number;
  grant: () => void;
}

/** Server counters read this close to a window boundary are ambiguous under clock skew: ignored. */
const BOUNDARY_GUARD_MS = 2_000;

export class WeightBudget {
  private spent: Array<{ at: number; weight: number; priority: number }> = [];
  private waiters: Waiter[] = [];
  private seq = 0;
  private pausedUntil = 0;
  private externalByWindow = new Map<number, number>();
  private wake: AbortController | null = null;
  private share = 1;

  constructor(
    readonly key: string,
    private readonly clock: Clock,
    private config: BudgetConfig,
  ) {}

  get limit(): number {
    return this.config.limit;
  }

  setLimit(limit: number, windowMs = this.config.windowMs): void {
    if (limit > 0 && (limit !== this.config.limit || windowMs !== this.config.windowMs)) {
      this.config = { ...this.config, limit, windowMs };
      this.pump();
    }
  }

  /**
   * Spend at most this fraction of the limit: collectors of a fleet behind one public IP divide the
   * IP's budget among themselves (fleet/lease-keeper.ts sets it from their heartbeats).
   */
  setShare(share: number): void {
    if (share > 0 && share <= 1 && share !== this.share) {
      this.share = share;
      this.pump();
    }
  }

  /** Resolve once `weight` may be spent; rejects if `signal` aborts first. */
  acquire(weight: number, priority: number = PRIORITY.backfill, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new Error('aborted'));
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error('aborted'));
        this.pump();
      };
      const waiter: Waiter = {
        weight,
        priority,
        seq: this.seq++,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.waiters.push(waiter);
      this.waiters.sort((a, b) => a.priority - b.priority || a.seq - b.seq);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pump();
    });
  }

  /** No request until `until` (a Retry-After from the server). */
  pauseUntil(until: number): void {
    if (until > this.pausedUntil) {
      this.pausedUntil = until;
      this.pump();
    }
  }

  /** The server's count of weight used in its current window (e.g. X-MBX-USED-WEIGHT-1M). */
  observeServerUsed(used: number, at: number = this.clock.now()): void {
    const { windowMs } = this.config;
    const window = Math.floor(at / windowMs);
    const intoWindow = at - window * windowMs;
    if (intoWindow < BOUNDARY_GUARD_MS || windowMs - intoWindow < BOUNDARY_GUARD_MS) return;
    const ours = this.spent.reduce((sum, s) => (s.at >= window * windowMs && s.at <= at ? sum + s.weight : sum), 0);
    const external = Math.max(0, used - ours);
    this.externalByWindow.set(window, Math.max(external, this.externalByWindow.get(window) ?? 0));
    for (const w of this.externalByWindow.keys()) if (w < window - 1) this.externalByWindow.delete(w);
    this.pump();
  }

  private external(now: number): number {
    const window = Math.floor(now / this.config.windowMs);
    // Other programs' usage from the current and the previous window: they likely keep going.
    return Math.max(this.externalByWindow.get(window) ?? 0, this.externalByWindow.get(window - 1) ?? 0);
  }

  private usedInWindow(now: number): number {
    const since = now - this.config.windowMs;
    while (this.spent.length && this.spent[0]!.at <= since) this.spent.shift();
    return this.spent.reduce((sum, s) => sum + s.weight, 0);
  }

  /**
   * What a waiter of `priority` may bring the window's total up to. Lower priorities leave headroom
   * for the live tail: half again what live requests spent in the last window, so a long backfill
   * that fills the budget never makes the next closed candle wait for the window to slide.
   */
  private allowance(now: number, priority: number): number {
    const { limit, reserve = 0.01 } = this.config;
    const whole = Math.floor(limit * (1 - reserve));
    // Our share, and never more than what the server's counter leaves (it counts the fleet's peers too).
    const base = Math.min(Math.floor(whole * this.share), whole - this.external(now));
    if (priority === PRIORITY.live) return base;
    const live = this.spent.reduce((sum, s) => (s.priority === PRIORITY.live ? sum + s.weight : sum), 0);
    return live > 0 ? base - Math.ceil(live * 1.5) - 4 : base;
  }

  snapshot(): BudgetSnapshot {
    const now = this.clock.now();
    return {
      key: this.key,
      limit: this.config.limit,
      windowMs: this.config.windowMs,
      used: this.usedInWindow(now),
      external: this.external(now),
      pausedUntil: this.pausedUntil > now ? this.pausedUntil : null,
      waiting: this.waiters.length,
      share: this.share,
    };
  }

  /** Grant what fits now; otherwise sleep until the earliest moment something can fit. */
  private pump(): void {
    this.wake?.abort();
    this.wake = null;
    const now = this.clock.now();
    if (this.pausedUntil > now) return this.sleepUntil(this.pausedUntil);
    while (this.waiters.length) {
      const head = this.waiters[0]!;
      const used = this.usedInWindow(now);
      const allowance = Math.max(head.weight, this.allowance(now, head.priority));
      if (used + head.weight <= allowance) {
        this.waiters.shift();
        this.spent.push({ at: now, weight: head.weight, priority: head.priority });
        head.grant();
        continue;
      }
      // The oldest spends leave the window one by one; find when enough have left.
      let freed = used;
      for (const s of this.spent) {
        freed -= s.weight;
        if (freed + head.weight <= allowance) return this.sleepUntil(s.at + this.config.windowMs + 1);
      }
      return this.sleepUntil(now + this.config.windowMs);
    }
  }

  private sleepUntil(ts: number): void {
    if (!this.waiters.length) return;
    const wake = new AbortController();
    this.wake = wake;
    void this.clock.sleep(ts - this.clock.now(), wake.signal).then(() => {
      if (!wake.signal.aborted) {
        this.wake = null;
        this.pump();
      }
    });
  }
}

/** One budget per key for the whole process, so every caller of a host spends from the same one. */
export class BudgetRegistry {
  private readonly budgets = new Map<string, WeightBudget>();
  constructor(private readonly clock: Clock) {}

  get(key: string, defaults: BudgetConfig): WeightBudget {
    let budget = this.budgets.get(key);
    if (!budget) {
      budget = new WeightBudget(key, this.clock, defaults);
      this.budgets.set(key, budget);
    }
    return budget;
  }

  all(): WeightBudget[] {
    return [...this.budgets.values()];
  }
}
