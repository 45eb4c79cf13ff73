/**
 * `npm run bench -- fleet`: three `daemon --collector` processes share 30 series of 1m history on
 * one PostgreSQL (the store and the leases); one is killed with SIGKILL mid-backfill. Measured: how
 * long until its series are asked again by the survivors (the promise: the lease timeout plus a few
 * seconds), and windows asked by two collectors (goal 0 among live ones), against three plain
 * daemons on the same database without leases, each working every series.
 */
import { compare, type Comparison } from './report.js';
import { duplicateWindows, startFleetRig, type FleetRig } from '../electron/test-support/fleet-rig.js';
import { DEFAULT_LEASE_TTL_MS } from '../electron/fleet/lease-keeper.js';

const SERIES = 30;
const HISTORY_MINUTES = 3 * 1440;
const LATENCY_MS = 150;

async function until(what: string, probe: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function withRig<T>(leases: boolean, run: (rig: FleetRig) => Promise<T>): Promise<T> {
  const rig = await startFleetRig({
    collectors: 3,
    series: SERIES,
    historyMinutes: HISTORY_MINUTES,
    latencyMs: LATENCY_MS,
    sharedEgress: true,
    leases,
  });
  try {
    return await run(rig);
  } finally {
    await rig.close();
  }
}

export async function benchFleet(): Promise<Comparison[]> {
  const limitS = DEFAULT_LEASE_TTL_MS / 1000 + 5;
  const fleet = await withRig(true, async (rig) => {
    const victim = rig.collectors[1]!;
    await until(
      'the victim mid-backfill',
      () => rig.klines().filter((r) => r.collector === victim.name).length >= 8,
      60_000,
    );
    const victimSymbols = new Set(
      rig
        .klines()
        .filter((r) => r.collector === victim.name)
        .map((r) => r.query.symbol!),
    );
    victim.child.kill('SIGKILL');
    await new Promise((r) => victim.child.once('exit', r));
    const killedAt = Date.now();
    const asked = (): Map<string, number> => {
      const first = new Map<string, number>();
      for (const r of rig.klines())
        if (r.wallAt > killedAt && victimSymbols.has(r.query.symbol!) && !first.has(r.query.symbol!))
          first.set(r.query.symbol!, r.wallAt);
      return first;
    };
    await until('every series of the victim asked again', () => asked().size === victimSymbols.size, 120_000);
    const times = [...asked().values()];
    // Let the survivors finish what the victim left, so late duplicates would show.
    await new Promise((r) => setTimeout(r, 10_000));
    const duplicates = duplicateWindows(rig.klines());
    return {
      firstS: (Math.min(...times) - killedAt) / 1000,
      allS: (Math.max(...times) - killedAt) / 1000,
      live: duplicates.filter((d) => !d.collectors.includes(victim.name)).length,
      onWire: duplicates.length,
      refused: rig.klines().filter((r) => r.status === 429 || r.status === 418).length,
      requests: rig.klines().length,
    };
  });
  const baseline = await withRig(false, async (rig) => {
    await new Promise((r) => setTimeout(r, 20_000));
    return { duplicates: duplicateWindows(rig.klines()).length, requests: rig.klines().length };
  });
  return [
    compare(
      'fleet: SIGKILL of one of 3 collectors (30 series of 1m, mid-backfill) to its first series asked again',
      { unit: 's', value: fleet.firstS },
      { name: 'lease timeout + 5 s limit', unit: 's', value: limitS },
      1,
      false,
    ),
    compare(
      'fleet: … to all of its series asked again',
      { unit: 's', value: fleet.allS },
      { name: 'lease timeout + 5 s limit', unit: 's', value: limitS },
      1,
      false,
    ),
    compare(
      'fleet: klines windows asked by two live collectors (goal 0)',
      { unit: 'windows', value: fleet.live },
      { name: 'three daemons on the same database without leases (20 s)', unit: 'windows', value: baseline.duplicates },
      1,
      false,
      `ratio shown as baseline/ours with ours counted as at least 1; ${fleet.onWire} window(s) the killed collector had on the wire were asked again by its successor; ${fleet.refused} answers 429/418 of ${fleet.requests} requests (one IP, one budget split three ways); baseline sent ${baseline.requests} requests`,
    ),
  ].map((c) =>
    // Goal 0: the ratio meets its goal only when no window was asked twice (ours counted as 1 then).
    c.ours.unit === 'windows'
      ? { ...c, ratio: c.baseline.value / Math.max(1, c.ours.value), goal: c.baseline.value }
      : c,
  );
}
