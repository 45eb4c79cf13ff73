/**
 * Which CSV column holds which candle field: `--columns ts=0,open=1,high=2,low=3,close=4,volume=5`
 * by 0-based index, or by header name (`ts=time,open=Open,...`); without --columns, a header row is
 * matched by the usual names and a headerless file is read as ts,open,high,low,close[,volume].
 */
import { UsageError } from '../errors.js';

export const FIELDS = ['ts', 'open', 'high', 'low', 'close', 'volume'] as const;
export type Field = (typeof FIELDS)[number];
export type ColumnMap = Record<Exclude<Field, 'volume'>, number> & { volume: number | null };

const USUAL_NAMES: Record<Field, string[]> = {
  ts: ['ts', 'time', 'timestamp', 'date', 'datetime', 'open_time', 'opentime', 'open time'],
  open: ['open', 'o'],
  high: ['high', 'h'],
  low: ['low', 'l'],
  close: ['close', 'c'],
  volume: ['volume', 'vol', 'v'],
};

/** True when the first row is a header: some cell is neither a number nor an ISO time. */
export function looksLikeHeader(cells: string[]): boolean {
  return cells.some((c) => c.trim() !== '' && !Number.isFinite(Number(c)) && !/^\d{4}-\d{2}-\d{2}/.test(c.trim()));
}

export function columnMap(spec: string | undefined, header: string[] | null, width: number): ColumnMap {
  const named = header?.map((h) => h.trim().toLowerCase()) ?? null;
  const found: Partial<Record<Field, number>> = {};
  if (spec !== undefined) {
    for (const part of spec.split(',')) {
      const [field, where] = part.split('=').map((s) => s.trim());
      if (!field || where === undefined || where === '')
        throw new UsageError(
          `--columns '${part}' is not field=column: use e.g. ts=0,open=1,high=2,low=3,close=4,volume=5`,
        );
      if (!(FIELDS as readonly string[]).includes(field))
        throw new UsageError(`--columns names '${field}', which is not one of ${FIELDS.join(', ')}`);
      const index = /^\d+$/.test(where) ? Number(where) : (named?.indexOf(where.toLowerCase()) ?? -1);
      if (index < 0)
        throw new UsageError(
          named
            ? `--columns ${field}=${where}: the header has no column '${where}' (it has ${header!.join(', ')})`
            : `--columns ${field}=${where}: the file has no header row, so give a column number`,
        );
      if (index >= width)
        throw new UsageError(`--columns ${field}=${index}: the file has only ${width} columns (0..${width - 1})`);
      found[field as Field] = index;
    }
  } else if (named) {
    for (const field of FIELDS) {
      const index = named.findIndex((n) => USUAL_NAMES[field].includes(n));
      if (index >= 0) found[field] = index;
    }
  } else {
    FIELDS.forEach((field, i) => {
      if (i < width) found[field] = i;
    });
  }
  const missing = FIELDS.filter((f) => f !== 'volume' && found[f] === undefined);
  if (missing.length)
    throw new UsageError(
      `no column for ${missing.join(', ')}: map them with --columns, e.g. --columns ts=0,open=1,high=2,low=3,close=4,volume=5`,
    );
  return {
    ts: found.ts!,
    open: found.open!,
    high: found.high!,
    low: found.low!,
    close: found.close!,
    volume: found.volume ?? null,
  };
}
