/**
 * `candlekeep daemon [--db FILE]`: the engine with no UI. SIGINT/SIGTERM stop it gracefully: requests
 * in flight are abandoned (their windows are not written), what was committed stays, exit 0.
 */
import { parse } from '../args.js';
import { line, type CliIo } from '../io.js';
import { DB_OPTION, dbPath } from './common.js';
import { createRuntime } from '../../runtime.js';

export const usage = 'daemon [--db FILE]';

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, DB_OPTION);
  const runtime = createRuntime({ dbPath: dbPath(values, io), shell: 'node', env: io.env });
  try {
    await runtime.engine.start();
    const series = runtime.store.series.list().filter((s) => s.enabled).length;
    line(io.stdout, `candlekeep daemon running: ${series} series, database ${runtime.store.file} (Ctrl-C to stop)`);
    await new Promise<void>((resolve) => io.stopSignal.addEventListener('abort', () => resolve(), { once: true }));
    line(io.stdout, 'stopping…');
  } finally {
    await runtime.close();
  }
  return 0;
}
