/**
 * Comparing the same candles from an archive and from REST (the overlap day). Agreement proves the
 * archive path reads what the API serves (units, columns, decimals). A few differing candles are
 * revisions, and REST, the fresher view, wins; many mean something is systematically wrong, and
 * then no archive is trusted for the backfill.
 */
import type { Candle } from '../../shared/domain.js';

export interface CrossCheck {
  /** Open times present in either. */
  compared: number;
  /** Open times missing from one side or with different values. */
  differing: number;
  firstDifference: number | null;
  /** False when the differences are too many to be revisions. */
  trusted: boolean;
}

/** More than this share of differing candles (and more than one) distrusts the archives. */
const REVISION_SHARE = 0.01;

const same = (a: Candle, b: Candle): boolean =>
  a.open === b.open && a.high === b.high && a.low === b.low && a.close === b.close && a.volume === b.volume;

export function crossCheck(archive: readonly Candle[], rest: readonly Candle[]): CrossCheck {
  const byTs = new Map(rest.map((c) => [c.ts, c]));
  let differing = 0;
  let firstDifference: number | null = null;
  const differ = (ts: number): void => {
    differing++;
    if (firstDifference === null || ts < firstDifference) firstDifference = ts;
  };
  for (const a of archive) {
    const r = byTs.get(a.ts);
    if (!r || !same(a, r)) differ(a.ts);
    byTs.delete(a.ts);
  }
  for (const ts of byTs.keys()) differ(ts);
  const compared = archive.length + byTs.size;
  return { compared, differing, firstDifference, trusted: differing <= Math.max(1, compared * REVISION_SHARE) };
}
