/**
 * Candle rows in PostgreSQL's binary COPY format, for `COPY candles … FROM STDIN WITH (FORMAT binary)`.
 * Text (CSV) needs every double printed as its shortest decimal in JavaScript and read back by the
 * server; binary is each value's 8 bytes, which costs neither side anything to write or read, and is
 * exact by construction.
 */

/** The columns, in the order the COPY names them: series_id, ts (BIGINT), open, high, low, close, volume (DOUBLE PRECISION). */
export const CANDLE_COPY_BINARY =
  'COPY candles (series_id, ts, open, high, low, close, volume) FROM STDIN WITH (FORMAT binary)';

/** "PGCOPY\n\377\r\n\0", then flags and the header extension's length (both 0). */
const HEADER = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];
const FIELDS = 7;
/** A row: its field count (2 bytes), then each field's length (4 bytes) and 8 bytes of value. */
const ROW_BYTES = 2 + FIELDS * (4 + 8);
const TWO_32 = 2 ** 32;

/**
 * Rows per COPY. A COPY buffers up to 1,000 rows before writing them, and on PostgreSQL 15 what it
 * costs beyond its rows grows faster than the rows it buffers: a profile of the server puts it in
 * the bookkeeping of the buffer's row slots. So a page of 1,000 rows is cheaper as four COPYs of 250,
 * sent in one round trip: 86 pages of 1,000 rows took the server 1.3 to 1.9 times as long as the
 * same rows 250 at a time.
 */
export const ROWS_PER_COPY = 250;

/**
 * `count` rows of `seriesId`, row i's values written by `bind` into `row[1..6]` (ts, open, high, low,
 * close, volume; volume may be null), as the inputs of one COPY each of up to ROWS_PER_COPY rows
 * (views of one buffer). Null when a ts is not an integer: BIGINT would take it only truncated,
 * where the text path refuses it, so the caller writes such rows the other way.
 */
export function candleCopyBinary(
  seriesId: number,
  count: number,
  bind: (row: Array<number | null>, p: number, i: number) => void,
): Uint8Array[] | null {
  const copies = Math.ceil(count / ROWS_PER_COPY);
  const bytes = new Uint8Array(copies * (HEADER.length + 2) + count * ROW_BYTES);
  const view = new DataView(bytes.buffer);
  const inputs: Uint8Array[] = [];
  let at = 0;
  const int8 = (v: number): void => {
    const hi = Math.floor(v / TWO_32);
    view.setInt32(at, 8);
    view.setInt32(at + 4, hi);
    view.setUint32(at + 8, v - hi * TWO_32);
    at += 12;
  };
  const row = new Array<number | null>(FIELDS);
  for (let first = 0; first < count; first += ROWS_PER_COPY) {
    const start = at;
    bytes.set(HEADER, at);
    at += HEADER.length;
    for (let i = first; i < Math.min(count, first + ROWS_PER_COPY); i++) {
      bind(row, 0, i);
      const ts = row[1];
      if (typeof ts !== 'number' || !Number.isSafeInteger(ts)) return null;
      view.setInt16(at, FIELDS);
      at += 2;
      int8(seriesId);
      int8(ts);
      for (let c = 2; c < FIELDS; c++) {
        const v = row[c];
        if (v === null || v === undefined) {
          view.setInt32(at, -1);
          at += 4;
          continue;
        }
        view.setInt32(at, 8);
        // + 0 turns -0 into 0, as text does and as SQLite stores it.
        view.setFloat64(at + 4, v + 0);
        at += 12;
      }
    }
    // The trailer: a field count of -1.
    view.setInt16(at, -1);
    at += 2;
    inputs.push(bytes.subarray(start, at));
  }
  return inputs;
}
