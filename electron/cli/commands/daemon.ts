/**
 * `candlekeep daemon [--db FILE] [--collector NAME …]`: the engine with no UI. SIGINT/SIGTERM stop it
 * gracefully: requests in flight are abandoned (their windows are not written), what was committed
 * stays, exit 0. With `--collector`, it is one collector of a fleet: it works only the series it
 * holds a lease on, and hands them back when it stops.
 */
import { Cron } from 'croner';
import { parse } from '../args.js';
import { UsageError } from '../errors.js';
import { line, stoppedBy, untilStopped, type CliIo } from '../io.js';
import { DB_OPTION, dbPath, noStreams } from './common.js';
import { APP_VERSION, createRuntime } from '../../runtime.js';
import { COLLECTOR_OPTIONS, collectorConfig } from './collector-options.js';
import { FleetMembership } from '../../fleet/fleet-membership.js';

/** A cron expression for the full gap sweep, checked before anything starts. */
export function sweepCron(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    new Cron(value, { paused: true, timezone: 'UTC' }).stop();
  } catch (err) {
    throw new UsageError(
      `--sweep-cron '${value}' is not a cron expression (${(err as Error).message}); e.g. "7 * * * *" for hourly`,
    );
  }
  return value;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, {
    ...DB_OPTION,
    ...COLLECTOR_OPTIONS,
    'sweep-cron': { type: 'string' },
    'no-streams': { type: 'boolean' },
  });
  const cron = sweepCron(values['sweep-cron']);
  const target = dbPath(values, io);
  const fleet = collectorConfig(values, target, APP_VERSION);
  // The lease loop logs through the runtime's log, which exists before the loop first runs.
  const members = fleet
    ? new FleetMembership(fleet, {
        info: (message, data) => runtime.log.info(message, data),
        warn: (message, data) => runtime.log.warn(message, data),
      })
    : null;
  const runtime = createRuntime({
    dbPath: target,
    shell: 'node',
    env: noStreams(values, io.env),
    logToFile: true,
    logConsole: io.stderr,
    engine: cron ? { sweepCron: cron } : {},
    ownership: members?.keeper,
  });
  try {
    // Leases first: the engine plans what this collector holds from its first tick.
    await members?.start(runtime);
    await runtime.start();
    const series = runtime.store.series.list().filter((s) => s.enabled).length;
    const role = members
      ? `collector '${members.config.collector}' holding ${members.keeper.leases().length} of ${series} series`
      : `${series} series`;
    line(io.stdout, `candlekeep daemon running: ${role}, database ${runtime.store.file} (Ctrl-C to stop)`);
    await untilStopped(io.stopSignal);
    line(io.stdout, 'stopping…');
  } finally {
    await runtime.close();
    // After the engine stopped: nothing is worked on once the leases are handed back.
    await members?.stop();
  }
  return stoppedBy(io.stopSignal);
}
