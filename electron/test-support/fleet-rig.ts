/**
 * A fleet on one machine, for the takeover test and `npm run bench -- fleet`: a throwaway PostgreSQL
 * (the store the collectors share, and their leases), the simulator with one port per collector (so
 * its request log says which collector sent each request), and `candlekeep daemon --db postgres://…
 * --collector` child processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Store } from '../store/store.js';
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import { startPostgres, type TestPostgres } from './postgres.js';
import { tempDir } from './temp-db.js';
import { floorToTimeframe, MINUTE_MS } from '../../shared/timeframe.js';
import type { Candle } from '../../shared/domain.js';
import type { LoggedRequest } from '../simulator/request-log.js';

const BIN = path.resolve('electron/cli/bin.js');

export interface FleetRigOptions {
  collectors: number;
  series: number;
  /** Minutes of 1m history each series keeps. */
  historyMinutes: number;
  /** Lease timeout (absent: the default, 30 s). */
  leaseTimeoutSeconds?: number;
  /** False: plain daemons on the shared file, no leases (the baseline of the fleet bench). */
  leases?: boolean;
  /** Wall-clock delay of each simulator answer. */
  latencyMs: number;
  /** All collectors in one egress group (one public IP), or each on its own. */
  sharedEgress?: boolean;
  seed?: number;
}

export interface Collector {
  name: string;
  /** The simulator port it talks to. */
  port: string;
  child: ChildProcess;
  output: () => string;
}

export interface FleetRig {
  sim: Simulator;
  pg: TestPostgres;
  db: string;
  keepFrom: number;
  symbols: string[];
  collectors: Collector[];
  /** Klines requests the simulator received, with the collector that sent each. */
  klines(): Array<LoggedRequest & { collector: string }>;
  /** Candles stored, all series together. */
  storedCount(): number;
  /** A series' stored candles in [from, to) (series ids follow `symbols`, from 1). */
  candles(seriesId: number, from: number, to: number): Candle[];
  count(seriesId: number, from: number, to: number): number;
  close(): Promise<void>;
}

/** The same window asked by two collectors: what the fleet exists to avoid. */
export interface DuplicateWindow {
  key: string;
  collectors: string[];
}

export function duplicateWindows(requests: Array<LoggedRequest & { collector: string }>): DuplicateWindow[] {
  const byWindow = new Map<string, Set<string>>();
  for (const r of requests) {
    const key = `${r.query.symbol} ${r.query.interval} ${r.query.startTime} ${r.query.endTime ?? ''}`;
    byWindow.set(key, (byWindow.get(key) ?? new Set()).add(r.collector));
  }
  return [...byWindow]
    .filter(([, names]) => names.size > 1)
    .map(([key, names]) => ({ key, collectors: [...names].sort() }));
}

export async function startFleetRig(options: FleetRigOptions): Promise<FleetRig> {
  const pg = await startPostgres();
  const sim = await startSimulator({
    seed: options.seed ?? 5,
    hosts: options.collectors,
    latencyMs: options.latencyMs,
    symbols: options.series,
  });
  const dir = tempDir('candlekeep-fleet-');
  const db = pg.url;
  const keepFrom = floorToTimeframe('1m', Date.now()) - options.historyMinutes * MINUTE_MS;
  const symbols = Array.from({ length: options.series }, (_, i) => `SYN${String(i + 1).padStart(4, '0')}USDT`);
  const store = Store.open(db);
  for (const symbol of symbols)
    store.series.ensure({ source: 'binance', symbol, timeframe: '1m' }, keepFrom, Date.now());

  const collectors: Collector[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(
      collectors.map((c) =>
        c.child.exitCode === null && c.child.signalCode === null
          ? new Promise((resolve) => {
              c.child.once('exit', resolve);
              c.child.kill('SIGTERM');
            })
          : undefined,
      ),
    );
    store.close();
    await sim.close();
    await pg.stop();
    dir.cleanup();
  };
  try {
    for (let i = 0; i < options.collectors; i++) {
      const name = `collector-${i + 1}`;
      const url = sim.urls[i]!;
      const child = spawn(
        process.execPath,
        [
          BIN,
          'daemon',
          '--db',
          db,
          '--no-streams',
          ...(options.leases === false
            ? []
            : [
                '--collector',
                name,
                '--egress',
                options.sharedEgress ? 'one-ip' : name,
                ...(options.leaseTimeoutSeconds ? ['--lease-timeout', String(options.leaseTimeoutSeconds)] : []),
              ]),
        ],
        {
          env: {
            ...process.env,
            CANDLEKEEP_HOME: dir.dir,
            CANDLEKEEP_BINANCE_ARCHIVES: 'off',
            CANDLEKEEP_BINANCE_URL: `${url}/binance`,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      collectors.push({ name, port: new URL(url).port, child, output: () => out });
    }
    await Promise.all(
      collectors.map(
        (c) =>
          new Promise<void>((resolve, reject) => {
            const check = setInterval(() => {
              if (c.output().includes('daemon running')) {
                clearInterval(check);
                resolve();
              }
            }, 50);
            c.child.once('exit', (code) => {
              clearInterval(check);
              reject(new Error(`${c.name} exited (${code}): ${c.output()}`));
            });
          }),
      ),
    );
  } catch (err) {
    await close();
    throw err;
  }
  const collectorOf = new Map(collectors.map((c) => [c.port, c.name]));
  return {
    sim,
    pg,
    db,
    keepFrom,
    symbols,
    collectors,
    klines: () =>
      sim.log
        .since()
        .filter((e) => e.path.endsWith('/klines'))
        .map((e) => ({ ...e, collector: collectorOf.get(e.host) ?? `port ${e.host}` })),
    storedCount: () => symbols.reduce((n, _, i) => n + store.candles.count(i + 1, keepFrom, Date.now()), 0),
    candles: (id, from, to) => store.candles.range(id, from, to),
    count: (id, from, to) => store.candles.count(id, from, to),
    close,
  };
}
