/**
 * Paints candles and volume for a chart on canvas: the server already aggregated to about one bucket
 * per few pixels, so this is a few hundred rectangles. Buckets the server did not return have no
 * candles: nothing is drawn there, so holes stay visibly empty (never interpolated).
 */
import type { CandleBucket, CandleBucketsResult } from '../../../shared/domain';
import { xAt, type TimeView } from '../view/time-view';
import { priceTicks, timeTicks } from './ticks';
import { UI_FONT } from './surface';
import { formatCompact, formatPrice, formatTick } from '../format';

export const CHART_VARS = {
  up: '--up',
  down: '--down',
  volume: '--volume',
  grid: '--grid',
  text: '--muted',
  crosshair: '--crosshair',
  panel: '--panel',
  fg: '--fg',
  hole: '--cov-open',
} as const;
export type ChartPalette = Record<keyof typeof CHART_VARS, string>;

export interface ChartLayout {
  width: number;
  height: number;
  plotWidth: number;
  priceTop: number;
  priceHeight: number;
  volumeTop: number;
  volumeHeight: number;
  timeTop: number;
}

const AXIS_WIDTH = 76;
const TIME_HEIGHT = 22;
const VOLUME_HEIGHT = 72;
const GAP = 8;
const TOP = 26;

export function chartLayout(width: number, height: number): ChartLayout {
  const plotWidth = Math.max(10, width - AXIS_WIDTH);
  const timeTop = height - TIME_HEIGHT;
  const volumeTop = timeTop - VOLUME_HEIGHT;
  return {
    width,
    height,
    plotWidth,
    priceTop: TOP,
    priceHeight: Math.max(40, volumeTop - GAP - TOP),
    volumeTop,
    volumeHeight: VOLUME_HEIGHT,
    timeTop,
  };
}

/** Buckets the chart asks for: at most one per `pxPerBucket` of plot width (never more than pixels). */
export function maxBucketsFor(layout: ChartLayout, pxPerBucket = 3): number {
  return Math.max(1, Math.min(10_000, Math.floor(layout.plotWidth / pxPerBucket)));
}

export function visibleBuckets(result: CandleBucketsResult, view: TimeView): CandleBucket[] {
  return result.buckets.filter((b) => b.ts + result.bucketMs > view.from && b.ts < view.to);
}

export interface PriceScale {
  min: number;
  max: number;
  y: (price: number) => number;
  priceAt: (y: number) => number;
}

export function priceScale(buckets: CandleBucket[], layout: ChartLayout): PriceScale | null {
  if (!buckets.length) return null;
  let min = Infinity;
  let max = -Infinity;
  for (const b of buckets) {
    min = Math.min(min, b.low);
    max = Math.max(max, b.high);
  }
  const pad = (max - min || Math.abs(max) * 0.01 || 1) * 0.06;
  min -= pad;
  max += pad;
  const { priceTop: top, priceHeight: h } = layout;
  return {
    min,
    max,
    y: (p) => top + ((max - p) / (max - min)) * h,
    priceAt: (y) => max - ((y - top) / h) * (max - min),
  };
}

export function paintChart(
  ctx: CanvasRenderingContext2D,
  result: CandleBucketsResult | null,
  view: TimeView,
  layout: ChartLayout,
  palette: ChartPalette,
  forming: CandleBucket | null = null,
): void {
  const { plotWidth: w } = layout;
  ctx.font = UI_FONT;
  ctx.textBaseline = 'middle';
  const buckets = result ? visibleBuckets(result, view) : [];
  const live = forming && result && forming.ts < view.to && forming.ts + result.bucketMs > view.from ? forming : null;
  const scale = priceScale(live ? [...buckets, live] : buckets, layout);

  // Grid and time axis.
  ctx.fillStyle = palette.grid;
  const ticks = timeTicks(view.from, view.to, w, 100);
  for (const t of ticks)
    ctx.fillRect(Math.round(xAt(view, t.ts, w)), layout.priceTop, 1, layout.timeTop - layout.priceTop);
  ctx.fillStyle = palette.text;
  ctx.textAlign = 'center';
  for (const t of ticks) ctx.fillText(t.label, Math.min(w - 30, Math.max(30, xAt(view, t.ts, w))), layout.timeTop + 11);
  ctx.fillStyle = palette.grid;
  ctx.fillRect(0, layout.timeTop, w, 1);
  ctx.fillRect(w, layout.priceTop, 1, layout.timeTop - layout.priceTop);

  if (!result || !scale) {
    ctx.fillStyle = palette.text;
    ctx.textAlign = 'center';
    ctx.fillText(
      result ? 'No candles stored in this range' : 'Loading…',
      w / 2,
      layout.priceTop + layout.priceHeight / 2,
    );
    return;
  }

  ctx.textAlign = 'left';
  for (const p of priceTicks(scale.min, scale.max, Math.max(2, Math.floor(layout.priceHeight / 50)))) {
    const y = Math.round(scale.y(p));
    ctx.fillStyle = palette.grid;
    ctx.fillRect(0, y, w, 1);
    ctx.fillStyle = palette.text;
    ctx.fillText(formatTick(p), w + 6, y);
  }

  const pxPerBucket = (result.bucketMs / (view.to - view.from)) * w;
  const body = Math.max(1, Math.floor(pxPerBucket * 0.7));
  let maxVolume = 0;
  for (const b of buckets) maxVolume = Math.max(maxVolume, b.volume ?? 0);

  ctx.save();
  ctx.beginPath();
  ctx.rect(0, 0, w, layout.height);
  ctx.clip();
  for (const b of buckets) {
    const center = xAt(view, b.ts + result.bucketMs / 2, w);
    const left = Math.round(center - body / 2);
    const up = b.close >= b.open;
    ctx.fillStyle = up ? palette.up : palette.down;
    const yHigh = scale.y(b.high);
    const yLow = scale.y(b.low);
    ctx.fillRect(Math.round(center - 0.5), Math.round(yHigh), 1, Math.max(1, Math.round(yLow - yHigh)));
    const yTop = scale.y(Math.max(b.open, b.close));
    const yBottom = scale.y(Math.min(b.open, b.close));
    ctx.fillRect(left, Math.round(yTop), body, Math.max(1, Math.round(yBottom - yTop)));
    if (b.volume !== null && maxVolume > 0) {
      const vh = (b.volume / maxVolume) * (layout.volumeHeight - 4);
      ctx.fillStyle = palette.volume;
      ctx.fillRect(left, Math.round(layout.timeTop - vh), body, Math.max(1, Math.round(vh)));
    }
  }
  if (live) paintForming(ctx, live, result.bucketMs, body, view, w, scale, palette);
  ctx.restore();
  if (maxVolume > 0) {
    ctx.fillStyle = palette.text;
    ctx.fillText(formatCompact(maxVolume), w + 6, layout.volumeTop + 6);
  }
}

/**
 * The still-forming candle: hollow and dashed, in the crosshair's colour, so it is never mistaken for
 * a stored (closed) one; its values change until it closes.
 */
function paintForming(
  ctx: CanvasRenderingContext2D,
  b: CandleBucket,
  bucketMs: number,
  body: number,
  view: TimeView,
  w: number,
  scale: NonNullable<ReturnType<typeof priceScale>>,
  palette: ChartPalette,
): void {
  const center = xAt(view, b.ts + bucketMs / 2, w);
  const left = Math.round(center - body / 2) + 0.5;
  const yTop = scale.y(Math.max(b.open, b.close));
  const yBottom = scale.y(Math.min(b.open, b.close));
  ctx.strokeStyle = palette.crosshair;
  ctx.lineWidth = 1;
  ctx.setLineDash([3, 2]);
  ctx.beginPath();
  ctx.moveTo(Math.round(center) + 0.5, scale.y(b.high));
  ctx.lineTo(Math.round(center) + 0.5, yTop);
  ctx.moveTo(Math.round(center) + 0.5, yBottom);
  ctx.lineTo(Math.round(center) + 0.5, scale.y(b.low));
  ctx.stroke();
  ctx.strokeRect(left, Math.round(yTop) + 0.5, Math.max(1, body - 1), Math.max(1, Math.round(yBottom - yTop)));
  ctx.setLineDash([]);
}

/** The bucket under a time, or null over a hole (binary search; buckets ascend by ts). */
export function bucketAt(result: CandleBucketsResult, ts: number): CandleBucket | null {
  let lo = 0;
  let hi = result.buckets.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = result.buckets[mid]!;
    if (ts < b.ts) hi = mid - 1;
    else if (ts >= b.ts + result.bucketMs) lo = mid + 1;
    else return b;
  }
  return null;
}

function label(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, palette: ChartPalette): void {
  const width = ctx.measureText(text).width + 10;
  ctx.fillStyle = palette.fg;
  ctx.fillRect(x, y - 9, width, 18);
  ctx.fillStyle = palette.panel;
  ctx.fillText(text, x + 5, y);
}

/** The crosshair with its price and time, on the overlay canvas (the candles are not repainted). */
export function paintCrosshair(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  layout: ChartLayout,
  palette: ChartPalette,
  price: number | null,
  time: string,
): void {
  ctx.font = UI_FONT;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  ctx.fillStyle = palette.crosshair;
  ctx.fillRect(Math.round(x), layout.priceTop, 1, layout.timeTop - layout.priceTop);
  if (price !== null && y >= layout.priceTop && y <= layout.priceTop + layout.priceHeight) {
    ctx.fillRect(0, Math.round(y), layout.plotWidth, 1);
    label(ctx, formatPrice(price), layout.plotWidth + 1, y, palette);
  }
  const width = ctx.measureText(time).width + 10;
  label(ctx, time, Math.max(0, Math.min(layout.plotWidth - width, x - width / 2)), layout.timeTop + 11, palette);
}
