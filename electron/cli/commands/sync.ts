/** `candlekeep sync --once [--db FILE] [--json]`: bring every series up to date and exit (for cron). */
import { parse } from '../args.js';
import { UsageError } from '../errors.js';
import { line, type CliIo } from '../io.js';
import { DB_OPTION, dbPath } from './common.js';
import { createRuntime } from '../../runtime.js';

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, { ...DB_OPTION, once: { type: 'boolean' }, json: { type: 'boolean' } });
  if (!values.once)
    throw new UsageError("sync runs once and exits: pass --once (or run 'candlekeep daemon' to keep going)");
  const runtime = createRuntime({ dbPath: dbPath(values, io), shell: 'node', env: io.env });
  const started = performance.now();
  try {
    await runtime.engine.syncOnce();
    const jobs = runtime.engine.jobList();
    const stored = runtime.engine.candlesStored;
    const failed = jobs.filter((j) => j.state === 'failed');
    const summary = {
      series: runtime.store.series.list().filter((s) => s.enabled).length,
      candlesStored: stored,
      failedJobs: failed.map((j) => ({ seriesId: j.seriesId, kind: j.kind, error: j.error })),
      seconds: Math.round((performance.now() - started) / 10) / 100,
    };
    line(
      io.stdout,
      values.json
        ? JSON.stringify(summary)
        : `synced ${summary.series} series: ${stored} candles stored in ${summary.seconds.toFixed(2)} s${failed.length ? `; ${failed.length} job(s) failed: ${failed[0]!.error}` : ''}`,
    );
    return failed.length ? 1 : 0;
  } finally {
    await runtime.close();
  }
}
