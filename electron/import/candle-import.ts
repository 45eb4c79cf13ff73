/**
 * Importing a candle CSV into a series, all or nothing: a first pass reads every row and collects
 * what is wrong (with line numbers); only a clean file is stored, in a second pass inside one
 * transaction. Both passes stream the file, so its size does not matter.
 */
import { reconcileLedger } from '../engine/ledger-reconcile.js';
import type { Store } from '../store/store.js';
import type { SeriesKey } from '../../shared/domain.js';
import { nextOpen } from '../../shared/timeframe.js';
import type { Candle } from '../../shared/domain.js';
import { fileLines } from './file-lines.js';
import { columnMap, looksLikeHeader, type ColumnMap } from './column-map.js';
import { candleFromRow, guessUnit, type TsUnit } from './candle-rows.js';

export interface ImportOptions {
  file: string;
  key: SeriesKey;
  /** --columns, e.g. ts=0,open=1,high=2,low=3,close=4,volume=5 */
  columns?: string;
  /** Unit of numeric timestamps; guessed from the first row when absent. */
  tsUnit?: TsUnit;
  now: number;
}

export interface ImportResult {
  rows: number;
  /** Candles new or changed in the database. */
  stored: number;
  unit: TsUnit;
  first: number;
  last: number;
}

/** The file has invalid rows: nothing was stored. `rows` lists the first few with their line numbers. */
export class InvalidRowsError extends Error {
  override name = 'InvalidRowsError';
  constructor(
    readonly rows: Array<{ line: number; error: string }>,
    readonly count: number,
    file: string,
  ) {
    super(
      `${count} invalid row${count > 1 ? 's' : ''} in ${file}; nothing was imported: fix ${count > 1 ? 'them' : 'it'} and run again`,
    );
  }
}

const SHOWN = 20;
const cellsOf = (text: string): string[] => text.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));

interface Layout {
  map: ColumnMap;
  unit: TsUnit;
  headerLine: number | null;
}

function* dataRows(file: string, headerLine: number | null): Generator<{ line: number; cells: string[] }> {
  for (const { line, text } of fileLines(file)) {
    if (line === headerLine || text.trim() === '') continue;
    yield { line, cells: cellsOf(text) };
  }
}

function layout(options: ImportOptions): Layout {
  for (const { line, text } of fileLines(options.file)) {
    if (text.trim() === '') continue;
    const cells = cellsOf(text);
    const header = looksLikeHeader(cells) ? cells : null;
    const map = columnMap(options.columns, header, cells.length);
    let unit = options.tsUnit;
    if (!unit && !header) unit = guessUnit(cells[map.ts] ?? '') ?? 'ms';
    if (!unit) {
      for (const row of dataRows(options.file, line)) {
        unit = guessUnit(row.cells[map.ts] ?? '') ?? 'ms';
        break;
      }
    }
    return { map, unit: unit ?? 'ms', headerLine: header ? line : null };
  }
  throw new Error(`${options.file} is empty: give a CSV with one candle per row`);
}

/** Read and check the whole file; throws InvalidRowsError listing what is wrong. */
export type CheckedFile = Layout & { rows: number; first: number; last: number };

export function checkCandleFile(options: ImportOptions): CheckedFile {
  const shape = layout(options);
  const invalid: Array<{ line: number; error: string }> = [];
  let count = 0;
  let rows = 0;
  let first = Infinity;
  let last = -Infinity;
  const seen = new Map<number, number>();
  for (const { line, cells } of dataRows(options.file, shape.headerLine)) {
    const row = candleFromRow(cells, shape.map, options.key.timeframe, shape.unit, options.now);
    let error = 'error' in row ? row.error : null;
    if (!error && 'candle' in row) {
      const earlier = seen.get(row.candle.ts);
      if (earlier !== undefined)
        error = `a second candle at ${new Date(row.candle.ts).toISOString()} (the first is on line ${earlier})`;
      else seen.set(row.candle.ts, line);
      first = Math.min(first, row.candle.ts);
      last = Math.max(last, row.candle.ts);
    }
    rows++;
    if (error) {
      count++;
      if (invalid.length < SHOWN) invalid.push({ line, error });
    }
  }
  if (count) throw new InvalidRowsError(invalid, count, options.file);
  if (!rows) throw new Error(`${options.file} has a header but no candle rows`);
  return { ...shape, rows, first, last };
}

/** Store a file `checkCandleFile` passed, in one transaction. */
export function storeCandleFile(store: Store, options: ImportOptions, checked: CheckedFile): ImportResult {
  const stored = store.transaction(() => {
    const series = store.series.ensure(options.key, checked.first, options.now);
    let changed = 0;
    let batch: Candle[] = [];
    for (const { cells } of dataRows(options.file, checked.headerLine)) {
      const row = candleFromRow(cells, checked.map, options.key.timeframe, checked.unit, options.now);
      if (!('candle' in row))
        throw new Error(`${options.file} changed while it was being imported; nothing was imported`);
      batch.push(row.candle);
      if (batch.length === 1000) {
        changed += store.candles.upsert(series.id, batch);
        batch = [];
      }
    }
    changed += store.candles.upsert(series.id, batch);
    reconcileLedger(store, series, checked.first, nextOpen(series.timeframe, checked.last), options.now);
    return changed;
  });
  return { rows: checked.rows, stored, unit: checked.unit, first: checked.first, last: checked.last };
}
