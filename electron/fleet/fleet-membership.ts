/**
 * A daemon's place in the fleet: its own small pool to PostgreSQL for the lease loop (coordination,
 * not candle storage), the lease keeper the engine asks before working a series, and the budget
 * share its egress group gives it.
 */
import pg from 'pg';
import type { Network } from '../net/network.js';
import type { EventBus } from '../../shared/event-bus.js';
import type { Series } from '../../shared/domain.js';
import type { FleetBudgetUse } from '../../shared/fleet.js';
import { LeaseKeeper } from './lease-keeper.js';

export interface FleetConfig {
  /** This collector's name, unique in the fleet. */
  collector: string;
  /** Collectors behind one public IP give the same egress name (default: the collector's name). */
  egress?: string;
  /** The PostgreSQL holding the leases. */
  url: string;
  leaseTimeoutMs?: number;
  version: string;
}

export interface FleetLog {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
}

/** What the membership reads from the running collector once it exists. */
export interface CollectorParts {
  store: { series: { list(): Series[] } };
  network: Network;
  engine: { isWorking(seriesId: number): boolean };
  events: EventBus;
}

export class FleetMembership {
  readonly keeper: LeaseKeeper;
  private readonly pool: pg.Pool;
  private parts: CollectorParts | null = null;

  constructor(
    readonly config: FleetConfig,
    private readonly log: FleetLog,
  ) {
    const ttl = config.leaseTimeoutMs;
    this.pool = new pg.Pool({
      connectionString: config.url,
      max: 2,
      // A hung query must not outlive the lease it is renewing.
      query_timeout: Math.floor((ttl ?? 30_000) / 3),
      application_name: `candlekeep collector ${config.collector}`,
    });
    this.pool.on('error', (err) => log.warn(`fleet database connection lost: ${err.message}`));
    this.keeper = new LeaseKeeper({
      pool: this.pool,
      name: config.collector,
      version: config.version,
      egress: config.egress,
      ttlMs: ttl,
      seriesIds: () => (this.parts?.store.series.list() ?? []).filter((s) => s.enabled).map((s) => s.id),
      busy: (seriesId) => this.parts?.engine.isWorking(seriesId) ?? false,
      budgetUse: () => this.budgetUse(),
      onBudgetShare: (share) => {
        this.parts?.network.setBudgetShare(share);
        log.info(`budget share of egress '${this.keeper.egress}': ${Math.round(share * 100)}%`);
      },
      onError: (err) => log.warn(`fleet: ${err.message}`),
    });
    // The ids only while few: a fleet of thousands of series would write pages per rebalance.
    this.keeper.onChange(({ won, lost }) =>
      log.info(
        `leases: won ${won.length}, lost ${lost.length}; holding ${this.keeper.leases().length}`,
        won.length + lost.length <= 50 ? { won, lost } : undefined,
      ),
    );
  }

  /** Join with the collector's store and network, and take a first share of the series. */
  async start(parts: CollectorParts): Promise<void> {
    this.parts = parts;
    // A series added, removed, paused or resumed (here or in another process): shares change now.
    parts.events.on('series:changed', () => this.keeper.nudge());
    await this.keeper.start();
  }

  /** Hand the leases back and close the pool. */
  async stop(): Promise<void> {
    await this.keeper.stop();
    await this.pool.end();
  }

  private budgetUse(): FleetBudgetUse[] {
    return (this.parts?.network.budgets.all() ?? []).map((b) => {
      const s = b.snapshot();
      return { key: s.key, used: s.used, limit: Math.floor(s.limit * s.share), windowMs: s.windowMs };
    });
  }
}
