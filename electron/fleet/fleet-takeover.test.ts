/**
 * Three `candlekeep daemon --collector` processes share thirty series; one is killed with SIGKILL in
 * the middle of the backfill. Its series progress again once its leases expire, the database ends
 * equal to the simulator's truth, and no window was asked by two collectors, except the few the
 * dead one had on the wire when it died (it never stored them, so its successor asks again).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { postgresUnavailable } from '../test-support/postgres.js';
import { duplicateWindows, startFleetRig, type FleetRig } from '../test-support/fleet-rig.js';
import { truthCandles } from '../test-support/truth.js';
import { expectSameCandles } from '../test-support/same-candles.js';

const unavailable = postgresUnavailable();
const BIN = path.resolve('electron/cli/bin.js');
/** The promise for a series added anywhere (the generous waits elsewhere keep a slow machine from failing). */
const PICKED_UP_MS = 5_000;
const LEASE_TIMEOUT_S = 6;
/** A collector's windows on the wire at once: its general workers and its tail worker. */
const WORKERS_PER_COLLECTOR = 4;

async function until<T>(
  what: string,
  probe: () => T | undefined | null | false,
  rig: FleetRig,
  ms = 45_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}; collectors said:\n${rig.collectors.map((c) => `${c.name}: ${c.output().slice(-2000)}`).join('\n')}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(unavailable)('a fleet of three collectors on one PostgreSQL', () => {
  let rig: FleetRig;

  beforeAll(async () => {
    rig = await startFleetRig({
      collectors: 3,
      series: 30,
      historyMinutes: 3 * 1440,
      leaseTimeoutSeconds: LEASE_TIMEOUT_S,
      latencyMs: 150,
      sharedEgress: true,
    });
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
  });

  it('takes over a collector killed mid-backfill: every series ends equal to the truth, no window stored twice', async () => {
    const [, victim] = rig.collectors;
    const expectedTotal = rig.symbols.length * 3 * 1440;
    // Mid-backfill: the victim has stored some of its share, and much of the history is still to come.
    await until(
      'the victim well into its backfill',
      () => rig.klines().filter((r) => r.collector === victim!.name).length >= 8,
      rig,
    );
    expect(rig.storedCount()).toBeLessThan(expectedTotal / 2);
    const victimSymbols = new Set(
      rig
        .klines()
        .filter((r) => r.collector === victim!.name)
        .map((r) => r.query.symbol!),
    );
    victim!.child.kill('SIGKILL');
    await new Promise((r) => victim!.child.once('exit', r));
    const killedAt = Date.now();

    // Its series progress again, asked by the survivors.
    await until(
      'the survivors to take over every series of the victim',
      () => {
        const after = new Set(
          rig
            .klines()
            .filter((r) => r.wallAt > killedAt)
            .map((r) => r.query.symbol!),
        );
        return [...victimSymbols].every((s) => after.has(s));
      },
      rig,
    );

    const edge = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
    // The truth has the venue's own maintenance gaps: those stay holes, as they should.
    const truth = rig.symbols.map((symbol) => truthCandles(rig.sim, symbol, rig.keepFrom, edge));
    const storedCounts = (): number[] => rig.symbols.map((_, i) => rig.count(i + 1, rig.keepFrom, edge));
    await until(
      `every series stored up to a minute ago (at the takeover: ${JSON.stringify(storedCounts())})`,
      () => storedCounts().every((n, i) => n >= truth[i]!.length),
      rig,
    );
    for (const i of rig.symbols.keys()) expectSameCandles(rig.candles(i + 1, rig.keepFrom, edge), truth[i]!);

    const requests = rig.klines();
    // No window asked by two collectors, but those the victim had on the wire when it died.
    const duplicates = duplicateWindows(requests);
    expect(duplicates.filter((d) => !d.collectors.includes(victim!.name))).toEqual([]);
    expect(duplicates.length).toBeLessThanOrEqual(WORKERS_PER_COLLECTOR);
    // One public IP, one budget split three ways: the simulator never had to refuse a request.
    expect(requests.filter((r) => r.status === 429 || r.status === 418)).toEqual([]);
  }, 120_000);

  it('leases a series added by the CLI in another process to one collector, which fetches it within 5 s', async () => {
    const from = Math.floor(Date.now() / 60_000) * 60_000 - 90 * 60_000;
    const asked = Date.now();
    const add = spawn(
      process.execPath,
      [
        BIN,
        'series',
        'add',
        '--source',
        'binance',
        '--symbol',
        'ETHUSDT',
        '--timeframe',
        '1m',
        '--from',
        String(from),
        '--db',
        rig.pg.url,
      ],
      { env: { ...process.env, CANDLEKEEP_BINANCE_URL: `${rig.sim.url}/binance` }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    add.stderr.on('data', (d: Buffer) => (err += d.toString()));
    expect(await new Promise((resolve) => add.once('exit', resolve))).toBe(0);
    expect(err).toBe('');
    const added = Date.now();
    const eth = () => rig.klines().filter((r) => r.query.symbol === 'ETHUSDT' && r.wallAt >= asked);
    const first = await until('a request for the new series', () => eth()[0], rig);
    expect(first.wallAt - added).toBeLessThan(PICKED_UP_MS);
    await until('the new series stored', () => rig.count(31, from, Date.now() - 120_000) >= 88, rig);
    expect(new Set(eth().map((r) => r.collector)).size).toBe(1);
  }, 60_000);
});

if (unavailable) describe.skip(`a fleet of collectors: ${unavailable}`, () => undefined);
