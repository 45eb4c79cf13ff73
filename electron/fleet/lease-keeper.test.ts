import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { FleetStatus } from '../../shared/fleet.js';
import { startPostgres, postgresUnavailable, type TestPostgres } from '../test-support/postgres.js';
import { LeaseKeeper } from './lease-keeper.js';
import { fleetStatus, storedFleetStatus } from './fleet-status.js';
import { Store } from '../store/store.js';
import { tempDbPath } from '../test-support/temp-db.js';
import { RefusalCounters, RequestCounters, renderMetrics } from '../server/metrics.js';
import type { EngineStatusView } from '../../shared/health.js';
import { run as fleetCommand } from '../cli/commands/fleet.js';
import { captureIo } from '../test-support/cli-io.js';

const unavailable = postgresUnavailable();
const SERIES = Array.from({ length: 30 }, (_, i) => i + 1);
const TTL = 3_000;

async function until(what: string, check: () => boolean | Promise<boolean>, deadlineMs = 30_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(unavailable)('lease keeper on PostgreSQL', () => {
  let db: TestPostgres;
  const pools: pg.Pool[] = [];
  const keepers: LeaseKeeper[] = [];

  beforeAll(async () => {
    db = await startPostgres();
  }, 60_000);
  afterEach(async () => {
    for (const k of keepers.splice(0)) await k.stop().catch(() => undefined);
    for (const p of pools.splice(0)) await p.end().catch(() => undefined);
  });
  afterAll(async () => {
    await db?.stop();
  });

  function keeper(
    name: string,
    options: { egress?: string; onBudgetShare?: (share: number) => void } = {},
  ): LeaseKeeper {
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    pool.on('error', () => undefined); // a pool ended on purpose (the "dead" collector)
    pools.push(pool);
    const k = new LeaseKeeper({
      pool,
      name,
      version: 'test',
      egress: options.egress,
      ttlMs: TTL,
      seriesIds: () => SERIES,
      onBudgetShare: options.onBudgetShare,
      onError: () => undefined,
    });
    keepers.push(k);
    return k;
  }

  const owners = (ks: LeaseKeeper[], id: number): string[] =>
    ks.filter((k) => k.signalFor(id) !== undefined).map((k) => k.name);

  it('three collectors split thirty series ten each, and a dead one’s series pass to the others without ever having two owners', async () => {
    await db.sql('DROP TABLE IF EXISTS fleet_leases, fleet_collectors');
    const [a, b, c] = [keeper('a'), keeper('b'), keeper('c')];
    await Promise.all([a.start(), b.start(), c.start()]);
    const all = [a, b, c];
    await until('an even split', () => all.every((k) => k.leases().length === 10));
    for (const id of SERIES) expect(owners(all, id)).toHaveLength(1);

    const lostByB: number[] = [];
    b.onChange(({ lost }) => lostByB.push(...lost));
    const bSeries = b.leases();
    // b can no longer reach the database: it must stop on its own before a and c may take over.
    await pools[1]!.end();
    let doubleOwned: string | null = null;
    await until('a and c holding every series', () => {
      for (const id of SERIES)
        if (owners(all, id).length > 1) doubleOwned ??= `series ${id}: ${owners(all, id).join(', ')}`;
      return a.leases().length + c.leases().length === 30;
    });
    expect(doubleOwned).toBeNull();
    expect(a.leases().length).toBe(15);
    expect(c.leases().length).toBe(15);
    expect(b.leases()).toEqual([]);
    expect(lostByB.sort((x, y) => x - y)).toEqual(bSeries);
    const status = await fleetStatus(pools[0]!);
    expect(status.collectors?.map((s) => [s.name, s.alive, s.leases])).toEqual([
      ['a', true, 15],
      ['b', false, 0],
      ['c', true, 15],
    ]);
  }, 60_000);

  it('a collector joining takes its share from the others, and one stopping hands its series back at once', async () => {
    await db.sql('DROP TABLE IF EXISTS fleet_leases, fleet_collectors');
    const [a, b] = [keeper('a'), keeper('b')];
    await Promise.all([a.start(), b.start()]);
    await until('two halves', () => a.leases().length === 15 && b.leases().length === 15);
    const c = keeper('c');
    await c.start();
    const all = [a, b, c];
    let doubleOwned = false;
    await until('three thirds', () => {
      doubleOwned ||= SERIES.some((id) => owners(all, id).length > 1);
      return all.every((k) => k.leases().length === 10);
    });
    expect(doubleOwned).toBe(false);
    await c.stop();
    // Handed back: free in the table at once, not left to expire.
    expect(await db.sql(`SELECT count(*) FROM fleet_leases WHERE collector = 'c'`)).toBe('0');
    await until('a and b holding every series again', () => a.leases().length + b.leases().length === 30);
  }, 60_000);

  it('collectors of one egress split its budget, and a second process under a live name is refused', async () => {
    await db.sql('DROP TABLE IF EXISTS fleet_leases, fleet_collectors');
    const shares = new Map<string, number>();
    const make = (name: string, egress: string): LeaseKeeper =>
      keeper(name, { egress, onBudgetShare: (share) => shares.set(name, share) });
    const group = [make('office-1', 'office'), make('office-2', 'office'), make('lab-1', 'lab')];
    await Promise.all(group.map((k) => k.start()));
    await until('shares from every heartbeat', () => shares.get('office-1') === 0.5 && shares.get('office-2') === 0.5);
    expect(shares.get('lab-1') ?? 1).toBe(1);

    await db.sql(
      `INSERT INTO fleet_collectors (name, version, egress, host, pid, started_at, heartbeat_at)
       VALUES ('lab-2', 'test', 'lab', 'other-machine', 4242, now(), now())`,
    );
    await expect(keeper('lab-2').start()).rejects.toThrow(
      "collector 'lab-2' is already running on other-machine (pid 4242); give this one another --collector name",
    );
  }, 60_000);
});

describe.skipIf(unavailable)('candlekeep fleet', () => {
  let db: TestPostgres;
  beforeAll(async () => {
    db = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await db?.stop();
  });

  it('shows each collector’s state, heartbeat, egress, leases and budget, and says when there is no fleet', async () => {
    const none = captureIo();
    expect(await fleetCommand(['--db', db.url], none.io)).toBe(0);
    expect(none.out()).toBe('no fleet on this database: start daemons with --collector NAME\n');

    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    const keeper = new LeaseKeeper({
      pool,
      name: 'eu-1',
      version: '9.9.9',
      egress: 'office',
      ttlMs: TTL,
      seriesIds: () => [1, 2, 3],
      budgetUse: () => [{ key: 'binance', used: 120, limit: 2970, windowMs: 60_000 }],
    });
    try {
      await keeper.start();
      const text = captureIo();
      expect(await fleetCommand(['--db', db.url], text.io)).toBe(0);
      const [header, row, footer] = text.out().trimEnd().split('\n');
      expect(header).toMatch(/^collector\s+state\s+heartbeat\s+version\s+egress\s+host\s+leases\s+budget/);
      expect(row).toMatch(
        /^eu-1\s+alive\s+\d+\.\d s ago\s+9\.9\.9\s+office\s+.+\(pid \d+\)\s+3\s+binance 120\/2970 per 60 s$/,
      );
      expect(footer).toBe('series without a live lease: 0');
      const json = captureIo();
      expect(await fleetCommand(['--db', db.url, '--json'], json.io)).toBe(0);
      const status = JSON.parse(json.out()) as FleetStatus;
      expect(status.collectors?.map((c) => [c.name, c.alive, c.leases, c.leaseTimeoutMs])).toEqual([
        ['eu-1', true, 3, TTL],
      ]);
      // serve reads the same through the store's own connection: the fleet:status channel and /metrics.
      const store = Store.open(db.url);
      try {
        const stored = storedFleetStatus(store.db);
        expect(stored.collectors?.map((c) => [c.name, c.alive, c.leases, c.egress, c.budget])).toEqual([
          ['eu-1', true, 3, 'office', [{ key: 'binance', used: 120, limit: 2970, windowMs: 60_000 }]],
        ]);
        const metrics = renderMetrics({
          counters: new RequestCounters(),
          refusals: new RefusalCounters(),
          candlesStored: 0,
          sources: [],
          series: [],
          status: { state: 'running', health: 'ok', queueDepth: 0, activeAlerts: 0 } as unknown as EngineStatusView,
          fleet: stored,
        });
        expect(metrics).toContain('candlekeep_fleet_collector_up{collector="eu-1"} 1');
        expect(metrics).toContain('candlekeep_fleet_leases{collector="eu-1"} 3');
        expect(metrics).toContain('candlekeep_fleet_budget_used{collector="eu-1",budget="binance"} 120');
        expect(metrics).toContain('candlekeep_fleet_budget_limit{collector="eu-1",budget="binance"} 2970');
        expect(metrics).toMatch(
          /candlekeep_fleet_collector_info\{collector="eu-1",version="9\.9\.9",egress="office",host="[^"]+"\} 1/,
        );
      } finally {
        store.close();
      }
      const sqlite = tempDbPath();
      const local = Store.open(sqlite.file);
      expect(storedFleetStatus(local.db)).toEqual({ collectors: null, unleased: 0 });
      local.close();
      sqlite.cleanup();
    } finally {
      await keeper.stop();
      await pool.end();
    }
    const stopped = captureIo();
    await fleetCommand(['--db', db.url], stopped.io);
    expect(stopped.out()).toMatch(/\neu-1\s+stopped\s+-\s+9\.9\.9\s+office\s+.+\s+0\s+binance/);
  }, 60_000);

  it('refuses a database that is not PostgreSQL, naming what to pass', async () => {
    await expect(fleetCommand(['--db', './candlekeep.db'], captureIo().io)).rejects.toThrow(
      'a fleet lives in PostgreSQL: pass the database its collectors share, e.g. --db postgres://user@host/candlekeep',
    );
  });
});

if (unavailable) describe.skip(`lease keeper on PostgreSQL: ${unavailable}`, () => undefined);
