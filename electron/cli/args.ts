/** Parsing and validating command-line values, each failure a UsageError naming the fix. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';
import { TIMEFRAMES, isTimeframe, type Timeframe } from '../../shared/timeframe.js';

export type Options = ParseArgsConfig['options'];

export function parse(
  argv: string[],
  options: Options,
  allowPositionals = false,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/, ''));
  }
}

export function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`missing --${name}`);
  return value;
}

export function timeframe(value: string): Timeframe {
  if (!isTimeframe(value)) throw new UsageError(`unknown timeframe '${value}': use one of ${TIMEFRAMES.join(' ')}`);
  return value;
}

/** An instant: ISO 8601 (a date alone is midnight UTC) or epoch milliseconds. */
export function instant(value: string, name: string): number {
  const trimmed = value.trim();
  if (/^\d{10,16}$/.test(trimmed)) return Number(trimmed);
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? `${trimmed}T00:00:00Z` : trimmed;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(iso);
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(iso) && hasZone ? Date.parse(iso) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new UsageError(
      `--${name} '${value}' is not a time: use ISO 8601 with a zone, e.g. 2024-01-01T00:00:00Z, or epoch ms`,
    );
  }
  return ms;
}

export function range(
  values: Record<string, unknown>,
  defaults: { from?: number; to?: number } = {},
): { from: number; to: number } {
  const from = typeof values.from === 'string' ? instant(values.from, 'from') : defaults.from;
  const to = typeof values.to === 'string' ? instant(values.to, 'to') : defaults.to;
  if (from === undefined) throw new UsageError('missing --from');
  if (to === undefined) throw new UsageError('missing --to');
  if (from >= to)
    throw new UsageError(
      `--from (${new Date(from).toISOString()}) must be before --to (${new Date(to).toISOString()})`,
    );
  return { from, to };
}

export function port(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new UsageError(`--port '${value}' is not a port number (0-65535)`);
  return n;
}
