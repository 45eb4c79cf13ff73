/**
 * `candlekeep daemon [--db FILE]`: the engine with no UI. SIGINT/SIGTERM stop it gracefully: requests
 * in flight are abandoned (their windows are not written), what was committed stays, exit 0.
 */
import { Cron } from 'croner';
import { parse } from '../args.js';
import { UsageError } from '../errors.js';
import { line, stoppedBy, untilStopped, type CliIo } from '../io.js';
import { DB_OPTION, dbPath, noStreams } from './common.js';
import { createRuntime } from '../../runtime.js';

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
  const { values } = parse(argv, { ...DB_OPTION, 'sweep-cron': { type: 'string' }, 'no-streams': { type: 'boolean' } });
  const cron = sweepCron(values['sweep-cron']);
  const runtime = createRuntime({
    dbPath: dbPath(values, io),
    shell: 'node',
    env: noStreams(values, io.env),
    logToFile: true,
    logConsole: io.stderr,
    engine: cron ? { sweepCron: cron } : {},
  });
  try {
    await runtime.start();
    const series = runtime.store.series.list().filter((s) => s.enabled).length;
    line(io.stdout, `candlekeep daemon running: ${series} series, database ${runtime.store.file} (Ctrl-C to stop)`);
    await untilStopped(io.stopSignal);
    line(io.stdout, 'stopping…');
  } finally {
    await runtime.close();
  }
  return stoppedBy(io.stopSignal);
}
