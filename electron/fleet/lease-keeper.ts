/**
 * One collector's membership of the fleet: it heartbeats, renews its leases, claims free or expired
 * series up to its fair share (`FOR UPDATE SKIP LOCKED`, so two collectors never claim one series)
 * and hands back what is over its share. All coordination is in PostgreSQL rows; there is no
 * coordinator process.
 *
 * Handing back is graceful: the series gets no new work here, the windows already on the wire land
 * and commit under the still-held lease, and only then is the lease released for another to claim,
 * so a rebalance never makes two collectors ask for one window.
 *
 * Fail safe: a lease expires on the database's clock `ttl` after its last renewal. Locally the
 * collector treats it as lost `margin` earlier, measured from before the renewal was sent, on a
 * monotonic clock: if it cannot renew (database unreachable, process stalled), it stops working
 * the series — aborting requests in flight — before anyone else may claim them, so two collectors
 * never fetch the same window. What a lost series was doing is re-planned from the ledger by the
 * next owner.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import type { OwnershipChange, SeriesOwnership } from '../engine/series-ownership.js';
import type { FleetBudgetUse } from '../../shared/fleet.js';
import { budgetShare, fairShare } from './fair-share.js';
import { ensureFleetSchema } from './fleet-schema.js';

export const DEFAULT_LEASE_TTL_MS = 30_000;

export interface LeaseKeeperOptions {
  pool: pg.Pool;
  name: string;
  version: string;
  /** Collectors behind one public IP name the same egress (default: the collector's own name). */
  egress?: string;
  /** Lease timeout (default 30 s). */
  ttlMs?: number;
  /** Heartbeat and renewal period (default ttl / 6). */
  heartbeatMs?: number;
  /** How long before the database's expiry this collector stops on its own (default ttl / 3). */
  marginMs?: number;
  /** The enabled series this collector can work on (from its store). */
  seriesIds: () => number[];
  /** Whether the engine still has windows of the series on the wire (a lease handed back waits for them). */
  busy?: (seriesId: number) => boolean;
  /** What this collector spent from its budgets, for the heartbeat. */
  budgetUse?: () => FleetBudgetUse[];
  /** This collector's part of its egress group's budgets changed. */
  onBudgetShare?: (share: number) => void;
  onError?: (err: Error) => void;
  /** Monotonic milliseconds (tests stall it). */
  now?: () => number;
}

export class LeaseKeeper implements SeriesOwnership {
  readonly ttlMs: number;
  readonly heartbeatMs: number;
  readonly marginMs: number;
  readonly egress: string;
  private readonly held = new Map<number, AbortController>();
  /** Held but being handed back: no new work; released in the database once nothing is on the wire. */
  private readonly draining = new Set<number>();
  private validUntil = 0;
  private readonly listeners = new Set<(change: OwnershipChange) => void>();
  private timer: NodeJS.Timeout | null = null;
  private expiryTimer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  /** Past the name check: only then are the leases under this name this process's to hand back. */
  private joined = false;
  private nudged = false;
  private share = 1;
  private readonly startedAt = new Date();
  private readonly now: () => number;

  constructor(private readonly options: LeaseKeeperOptions) {
    this.ttlMs = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
    this.heartbeatMs = options.heartbeatMs ?? Math.max(100, Math.floor(this.ttlMs / 6));
    this.marginMs = options.marginMs ?? Math.floor(this.ttlMs / 3);
    this.egress = options.egress ?? options.name;
    this.now = options.now ?? (() => performance.now());
    if (this.heartbeatMs * 2 >= this.ttlMs - this.marginMs)
      throw new Error(`lease heartbeat ${this.heartbeatMs} ms is too slow for a ${this.ttlMs} ms lease timeout`);
  }

  get name(): string {
    return this.options.name;
  }

  /** Series held right now (valid locally). */
  leases(): number[] {
    return this.now() < this.validUntil
      ? [...this.held.keys()].filter((id) => !this.draining.has(id)).sort((a, b) => a - b)
      : [];
  }

  owns(seriesId: number): boolean {
    return this.held.has(seriesId) && !this.draining.has(seriesId) && this.now() < this.validUntil;
  }

  signalFor(seriesId: number): AbortSignal | undefined {
    return this.held.has(seriesId) && this.now() < this.validUntil ? this.held.get(seriesId)!.signal : undefined;
  }

  onChange(listener: (change: OwnershipChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Create the tables, refuse a name another live process uses, and take a first share of the
   * series before returning (so the engine starts with work).
   */
  async start(): Promise<void> {
    await ensureFleetSchema(this.options.pool);
    await this.refuseNameInUse();
    this.joined = true;
    await this.tickOnce();
    this.schedule();
  }

  /** Stop heartbeating and hand every lease back at once, so others need not wait for expiry. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    await this.running;
    if (!this.joined) return;
    const lost = this.leases();
    this.dropLocally([...this.held.keys()]);
    this.emit({ won: [], lost });
    try {
      await this.options.pool.query(
        `UPDATE fleet_leases SET collector = NULL, expires_at = '-infinity', taken_at = NULL WHERE collector = $1`,
        [this.name],
      );
      // Gone at once from the live count: the others rebalance (and widen their budget share) now.
      await this.options.pool.query(
        `UPDATE fleet_collectors SET heartbeat_at = '-infinity' WHERE name = $1 AND pid = $2`,
        [this.name, process.pid],
      );
    } catch (err) {
      this.options.onError?.(err as Error); // the leases expire on their own
    }
  }

  /** One heartbeat, renewal and rebalance (exposed for tests, which step the fleet by hand). */
  async tickOnce(): Promise<void> {
    const run = this.tick();
    this.running = run.catch(() => undefined);
    await run;
  }

  /**
   * Rebalance soon rather than at the next heartbeat: a series was added or removed, so a share
   * changed (a new series is then leased by someone within a second or so, not a heartbeat).
   */
  nudge(): void {
    if (this.stopped || !this.joined) return;
    this.nudged = true;
    // Idle between ticks: tick now. A tick in progress reschedules at once when it ends.
    if (this.timer) this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = null;
        void this.tickOnce()
          .catch((err: Error) => this.options.onError?.(err))
          .finally(() => this.schedule());
      },
      this.nudged ? 0 : this.heartbeatMs,
    );
    this.timer.unref?.();
  }

  private async refuseNameInUse(): Promise<void> {
    const { rows } = await this.options.pool.query<{ host: string; pid: number; fresh: boolean }>(
      `SELECT host, pid, heartbeat_at > now() - make_interval(secs => $2::float8 / 1000) AS fresh
         FROM fleet_collectors WHERE name = $1`,
      [this.name, this.ttlMs],
    );
    const row = rows[0];
    if (!row?.fresh || (row.host === os.hostname() && row.pid === process.pid)) return;
    // The same host can tell a dead predecessor (restarted after a crash) from a live twin.
    if (row.host === os.hostname() && !processAlive(row.pid)) return;
    throw new Error(
      `collector '${this.name}' is already running on ${row.host} (pid ${row.pid}); give this one another --collector name`,
    );
  }

  private async tick(): Promise<void> {
    const { pool } = this.options;
    const ttl = this.ttlMs;
    const sentAt = this.now();
    this.nudged = false;
    await pool.query(
      `INSERT INTO fleet_collectors (name, version, egress, host, pid, started_at, heartbeat_at, budget, lease_ms)
         VALUES ($1, $2, $3, $4, $5, $6, now(), $7, $8)
       ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version, egress = EXCLUDED.egress,
         host = EXCLUDED.host, pid = EXCLUDED.pid, started_at = EXCLUDED.started_at,
         heartbeat_at = now(), budget = EXCLUDED.budget, lease_ms = EXCLUDED.lease_ms`,
      [
        this.name,
        this.options.version,
        this.egress,
        os.hostname(),
        process.pid,
        this.startedAt,
        JSON.stringify(this.options.budgetUse?.() ?? []),
        this.ttlMs,
      ],
    );
    // Handed back once nothing of theirs is on the wire any more.
    const release = [...this.draining].filter((id) => !this.options.busy?.(id));
    if (release.length) {
      await pool.query(
        `UPDATE fleet_leases SET collector = NULL, expires_at = '-infinity', taken_at = NULL
          WHERE collector = $1 AND series_id = ANY($2::bigint[])`,
        [this.name, release],
      );
      this.dropLocally(release);
    }
    // Only leases still valid on the database's clock are renewed: an expired one may be another's now.
    const renewed = await pool.query<{ series_id: string }>(
      `UPDATE fleet_leases SET expires_at = now() + make_interval(secs => $2::float8 / 1000)
        WHERE collector = $1 AND expires_at > now() RETURNING series_id`,
      [this.name, ttl],
    );
    const live = await pool.query<{ name: string; egress: string }>(
      `SELECT name, egress FROM fleet_collectors WHERE heartbeat_at > now() - make_interval(secs => $1::float8 / 1000)`,
      [ttl],
    );
    const ids = [...new Set(this.options.seriesIds())].sort((a, b) => a - b);
    const known = new Set(ids);
    const mine = renewed.rows.map((r) => Number(r.series_id)).sort((a, b) => a - b);
    // Series this collector does not know (removed, or added elsewhere and not heard of yet) go back too.
    const active = mine.filter((id) => known.has(id) && !this.draining.has(id));
    const handBack = mine.filter((id) => !known.has(id) && !this.draining.has(id));
    const target = fairShare(
      ids.length,
      live.rows.map((r) => r.name),
      this.name,
    );
    let claimed: number[] = [];
    if (active.length > target) handBack.push(...active.splice(target));
    else if (active.length < target) {
      const free = ids.filter((id) => !mine.includes(id));
      await pool.query(
        `INSERT INTO fleet_leases (series_id, collector, expires_at)
           SELECT id, NULL, '-infinity' FROM unnest($1::bigint[]) AS id ORDER BY id ON CONFLICT DO NOTHING`,
        [free],
      );
      const rows = await pool.query<{ series_id: string }>(
        `UPDATE fleet_leases SET collector = $1, expires_at = now() + make_interval(secs => $2::float8 / 1000),
                taken_at = now()
          WHERE series_id IN (
            SELECT series_id FROM fleet_leases
             WHERE series_id = ANY($3::bigint[]) AND (collector IS NULL OR expires_at <= now())
             ORDER BY series_id LIMIT $4 FOR UPDATE SKIP LOCKED)
          RETURNING series_id`,
        [this.name, ttl, free, target - active.length],
      );
      claimed = rows.rows.map((r) => Number(r.series_id));
    }
    this.apply([...mine, ...claimed], handBack, sentAt + ttl - this.marginMs);
    const groupSize = live.rows.filter((r) => r.egress === this.egress && r.name !== this.name).length + 1;
    const share = budgetShare(groupSize);
    if (share !== this.share) {
      this.share = share;
      this.options.onBudgetShare?.(share);
    }
  }

  /** The leases held from now on (some being handed back), valid locally until `validUntil`. */
  private apply(held: number[], handBack: number[], validUntil: number): void {
    if (this.stopped) return;
    const before = new Set(this.now() < this.validUntil ? this.leases() : []);
    const next = new Set(held);
    this.dropLocally([...this.held.keys()].filter((id) => !next.has(id)));
    for (const id of held) if (!this.held.has(id)) this.held.set(id, new AbortController());
    for (const id of handBack) this.draining.add(id);
    this.validUntil = validUntil;
    this.armExpiry();
    const after = new Set(this.leases());
    const lost = [...before].filter((id) => !after.has(id));
    const won = [...after].filter((id) => !before.has(id));
    if (lost.length || won.length) this.emit({ won, lost });
  }

  /** Renewals stopped arriving: at local expiry, stop working every series. */
  private armExpiry(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = setTimeout(
      () => {
        if (this.now() < this.validUntil) return this.armExpiry();
        const lost = [...this.held.keys()].filter((id) => !this.draining.has(id));
        this.dropLocally([...this.held.keys()]);
        if (lost.length) {
          this.options.onError?.(
            new Error(
              `could not renew ${lost.length} lease(s) in time; stopped working them until the database answers`,
            ),
          );
          this.emit({ won: [], lost });
        }
      },
      Math.max(0, this.validUntil - this.now()),
    );
    this.expiryTimer.unref?.();
  }

  private dropLocally(ids: number[]): void {
    for (const id of ids) {
      this.held.get(id)?.abort();
      this.held.delete(id);
      this.draining.delete(id);
    }
  }

  private emit(change: OwnershipChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (err) {
        this.options.onError?.(err as Error);
      }
    }
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
