/**
 * The evidence rules: what an answer from a source proves about the time it covers, and when a range
 * may be settled as "the source has no data there" (confirmed_empty). Every source and every path that
 * fetches (live tail, history, manual backfill, repairs, archive fallbacks) goes through these rules;
 * the README's "How a hole is settled" says the same in prose.
 *
 * 1. A page proves absence only between the rows it returned, and before its first row (the request
 *    started there). Time after its last row is unknown until a request that starts there answers:
 *    with nothing (absent up to the window's end) or with rows further on (absent up to the first of
 *    them). Servers cap pages below the limit asked (proxies, mirrors, other exchanges), so a short
 *    page is never taken as the end of the data: `fetchProven` asks again from the next open time.
 *    A full page costs nothing extra; a window that ends in a real gap costs one request more.
 * 2. A timeout, an error, a truncated or malformed body is never a look: the window fails, and its
 *    range becomes an open hole with cause `fetch_failed` and the error, retried with backoff.
 * 3. `confirmed_empty` needs two looks at the range at least `secondLookAfterMs` apart, the second
 *    one aimed at the hole itself (its request starts inside the hole).
 * 4. A hole settled while it was recent (it ends less than `lateLookWithinMs` before the settling) gets
 *    one more look `lateLookAfterMs` after it was settled: sources do publish late (exchanges replace
 *    truncated archive days days later). Data found then is stored and reported as late data.
 */
import type { PackedCandles } from '../sources/packed-candles.js';
import type { Source, WindowRequest, WindowResult } from '../sources/source.js';
import { nextOpen } from '../../shared/timeframe.js';
import { subtractRanges, type Range } from './hole-ledger.js';

export interface EvidenceRules {
  /** The least time between the two empty looks that confirm a hole. */
  secondLookAfterMs: number;
  /** When a recently settled hole gets its late look, after settling. */
  lateLookAfterMs: number;
  /** Only holes ending this close to their settling get a late look. */
  lateLookWithinMs: number;
}

export const DEFAULT_EVIDENCE: EvidenceRules = {
  secondLookAfterMs: 10 * 60_000,
  lateLookAfterMs: 24 * 3_600_000,
  lateLookWithinMs: 7 * 24 * 3_600_000,
};

/** Fetch one page of [from, window end): the caller wraps the request in its retries and budget. */
export type PageFetch = (from: number) => Promise<WindowResult>;

/**
 * A window's candles, fetched until what they say is proven (rule 1): after a page whose last row ends
 * before both the window's end and `liveEdge` (the end of closed candles), the next page starts right
 * after that row. Returns every page's candles, raw rows and closed ranges together; the cursor only
 * moves forward (past a row at or after it), so the loop ends within the window's own candle count.
 */
export async function fetchProven(
  request: Pick<WindowRequest, 'timeframe' | 'from' | 'to'>,
  liveEdge: number,
  fetchPage: PageFetch,
): Promise<WindowResult> {
  const { timeframe, to } = request;
  const out: WindowResult = { candles: [], raw: [], requests: 0 };
  const raw: unknown[] = [];
  const closed: Range[] = [];
  let cursor = request.from;
  for (;;) {
    const page = await fetchPage(cursor);
    // A first page read packed that alone answers for the window (every full page of a backfill) is
    // the result as it came: copying it candle by candle would build every candle it holds.
    if (cursor === request.from && page.packed && !page.marketClosed?.length) {
      const last = lastOpenWithin(page.packed, cursor, to);
      if (last === null || nextOpen(timeframe, last) >= Math.min(to, liveEdge)) return page;
    }
    out.requests += page.requests;
    if (page.marketClosed) closed.push(...page.marketClosed);
    let last: number | null = null;
    page.candles.forEach((candle, i) => {
      out.candles.push(candle);
      if (page.raw) raw.push(page.raw[i]);
      // Rows before the cursor or past the window are the server's error: validation quarantines them.
      if (candle.ts >= cursor && candle.ts < to && (last === null || candle.ts > last)) last = candle.ts;
    });
    if (last === null) break; // nothing from the cursor on: absent to the window's end
    const after = nextOpen(timeframe, last);
    if (after >= to || after >= liveEdge) break;
    // The page itself explains the rest: the market is closed from its last row to the window's end.
    if (!subtractRanges([{ from: after, to }], closed).length) break;
    cursor = after;
  }
  if (raw.length === out.candles.length && raw.length) out.raw = raw;
  else delete out.raw;
  if (closed.length) out.marketClosed = closed;
  return out;
}

/** The last open time in [from, to) of ascending packed rows, or null when none opens there. */
function lastOpenWithin(rows: PackedCandles, from: number, to: number): number | null {
  const inside = rows.within({ from, to });
  return inside.length ? inside.ts(inside.length - 1) : null;
}

/** `fetchProven` for a source's own window fetch (one request per page, the caller's signal). */
export function fetchWindowProven(
  source: Source,
  request: WindowRequest,
  liveEdge: number,
  signal: AbortSignal | undefined,
  retry: <T>(attempt: () => Promise<T>) => Promise<T>,
): Promise<WindowResult> {
  return fetchProven(request, liveEdge, (from) => retry(() => source.fetchWindow({ ...request, from }, signal)));
}

/** Does a look through `window` count as a second look at `hole` (rule 3)? */
export function confirmsHole(
  rules: EvidenceRules,
  hole: { from: number; to: number; looks: number; lookedAt: number | null },
  window: Range,
  now: number,
): boolean {
  const aimed = window.from >= hole.from && window.from < hole.to;
  return aimed && hole.looks >= 1 && hole.lookedAt !== null && now - hole.lookedAt >= rules.secondLookAfterMs;
}

/** When a hole settled at `now` gets its late look (rule 4), or null when it is too old for one. */
export function lateLookAt(rules: EvidenceRules, hole: Range, now: number): number | null {
  return now - hole.to < rules.lateLookWithinMs ? now + rules.lateLookAfterMs : null;
}
