/**
 * Paints a gap strip: one column per bucket, its height split into what the bucket's expected
 * candles are (stored at the bottom, problems on top). A problem always gets a few pixels, however
 * small its share: one missing candle in a month-wide bucket must still be seen.
 */
import type { CoverageState, GapMapBucket } from '../../../shared/contract';
import { xAt, type TimeView } from '../view/time-view';

export type CoveragePalette = Record<CoverageState | 'selection' | 'cursor', string>;

export const COVERAGE_VARS: Record<keyof CoveragePalette, string> = {
  stored: '--cov-stored',
  open: '--cov-open',
  rejected: '--cov-rejected',
  unknown: '--cov-unknown',
  confirmed_empty: '--cov-empty',
  market_closed: '--cov-closed',
  selection: '--cov-selection',
  cursor: '--fg',
};

/** Top to bottom: what needs the user first. */
const STACK: Array<{ state: CoverageState; count: (b: GapMapBucket) => number; minPx: number }> = [
  { state: 'rejected', count: (b) => b.rejected, minPx: 4 },
  { state: 'open', count: (b) => b.open, minPx: 4 },
  { state: 'unknown', count: (b) => b.unknown, minPx: 2 },
  { state: 'confirmed_empty', count: (b) => b.confirmedEmpty, minPx: 0 },
  { state: 'market_closed', count: (b) => b.marketClosed, minPx: 0 },
  { state: 'stored', count: (b) => b.stored, minPx: 0 },
];

/** Pixel heights of a bucket's segments, summing to `height` (pure; exported for tests). */
export function segmentHeights(bucket: GapMapBucket, height: number): Array<{ state: CoverageState; px: number }> {
  const total = STACK.reduce((n, s) => n + s.count(bucket), 0);
  if (total <= 0) return [];
  const raw = STACK.map((s) => {
    const n = s.count(bucket);
    return { state: s.state, px: n > 0 ? Math.max(s.minPx, (n / total) * height) : 0, fixed: n > 0 && s.minPx > 0 };
  });
  // Minimum heights borrow from the others proportionally, so the column keeps its height.
  const sum = raw.reduce((n, r) => n + r.px, 0);
  if (sum > height) {
    const fixed = raw.filter((r) => r.fixed).reduce((n, r) => n + r.px, 0);
    const rest = sum - fixed;
    const room = Math.max(0, height - fixed);
    for (const r of raw) if (!r.fixed && rest > 0) r.px = (r.px / rest) * room;
  }
  return raw.filter((r) => r.px > 0).map(({ state, px }) => ({ state, px }));
}

export interface StripPaint {
  buckets: GapMapBucket[];
  view: TimeView;
  width: number;
  height: number;
  palette: CoveragePalette;
  selection: TimeView | null;
  cursor: number | null;
}

export function paintGapStrip(ctx: CanvasRenderingContext2D, p: StripPaint): void {
  ctx.fillStyle = p.palette.unknown;
  ctx.globalAlpha = 0.35;
  ctx.fillRect(0, 0, p.width, p.height);
  ctx.globalAlpha = 1;
  for (const bucket of p.buckets) {
    if (bucket.expected <= 0) continue;
    const x0 = Math.max(0, xAt(p.view, bucket.from, p.width));
    const x1 = Math.min(p.width, xAt(p.view, bucket.to, p.width));
    if (x1 <= 0 || x0 >= p.width) continue;
    // Whole pixels without seams: each column covers [floor(x0), floor(x1)), at least one pixel.
    const left = Math.floor(x0);
    const w = Math.max(1, Math.floor(x1) - left);
    let y = 0;
    for (const seg of segmentHeights(bucket, p.height)) {
      ctx.fillStyle = p.palette[seg.state];
      ctx.fillRect(left, Math.round(y), w, Math.round(y + seg.px) - Math.round(y));
      y += seg.px;
    }
  }
  if (p.selection) {
    const a = xAt(p.view, p.selection.from, p.width);
    const b = xAt(p.view, p.selection.to, p.width);
    ctx.fillStyle = p.palette.selection;
    ctx.fillRect(Math.min(a, b), 0, Math.max(1, Math.abs(b - a)), p.height);
    ctx.fillStyle = p.palette.cursor;
    ctx.fillRect(Math.min(a, b), 0, 1, p.height);
    ctx.fillRect(Math.max(a, b) - 1, 0, 1, p.height);
  }
  if (p.cursor !== null) {
    const bucket = p.buckets[p.cursor];
    if (bucket) {
      const x0 = Math.max(0, xAt(p.view, bucket.from, p.width));
      const x1 = Math.min(p.width, xAt(p.view, bucket.to, p.width));
      ctx.strokeStyle = p.palette.cursor;
      ctx.lineWidth = 1;
      ctx.strokeRect(Math.floor(x0) + 0.5, 0.5, Math.max(1, Math.floor(x1) - Math.floor(x0)) - 1, p.height - 1);
    }
  }
}
