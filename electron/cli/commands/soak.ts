/**
 * `candlekeep soak --days N [--faults none|flaky|hostile] [--series-count K] [--seed S] [--json]`:
 * the simulator and the engine in this process for N simulated days (electron/soak/), then the
 * table (or one JSON object). Exit 1 when a candle is missing or wrong, a range was confirmed empty
 * where the venue has candles, a ban, or a verify finding.
 */
import { parse } from '../args.js';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../errors.js';
import { line, type CliIo } from '../io.js';
import { FAULT_PROFILES, isProfile } from '../../simulator/faults.js';
import { DEFAULT_SERIES_COUNT, SOAK_SERIES } from '../../soak/series-plan.js';
import { runSoak } from '../../soak/soak.js';
import { soakFailure, soakJson, soakTable } from '../../soak/report.js';

function integer(value: unknown, name: string, min: number, max: number, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) throw new UsageError(`missing --${name}: e.g. --${name} 1`);
    return fallback;
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} '${String(value)}' must be a whole number from ${min} to ${max}`);
  return n;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, {
    days: { type: 'string' },
    faults: { type: 'string' },
    'series-count': { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean' },
  });
  const days = integer(values.days, 'days', 1, 60);
  const faults = (values.faults as string | undefined) ?? 'none';
  if (!isProfile(faults))
    throw new UsageError(`unknown --faults '${faults}': use ${Object.keys(FAULT_PROFILES).join(', ')}`);
  const seriesCount = integer(values['series-count'], 'series-count', 1, SOAK_SERIES.length, DEFAULT_SERIES_COUNT);
  const seed = integer(values.seed, 'seed', 0, 2 ** 31 - 1, 1);
  const json = values.json === true;

  const progress = json ? undefined : (message: string): void => line(io.stderr, message);
  const result = await runSoak({ days, faults, seriesCount, seed, progress, signal: io.stopSignal });
  const failure = soakFailure(result);
  if (json) line(io.stdout, JSON.stringify(soakJson(result)));
  else line(io.stdout, soakTable(result));
  if (failure) line(io.stderr, failure);
  return failure ? EXIT_FAILURE : EXIT_OK;
}
