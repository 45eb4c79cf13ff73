/**
 * Candles and volume on canvas for any range of a series: the server aggregates to at most one bucket
 * per 3 px ('candles:buckets'), so a year of 1m candles pans as fast as a day. Wheel or +/− zooms
 * around the pointer, drag or arrows pan, double-click or 0 shows everything. Holes stay empty.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { SeriesView } from '../../../shared/contract';
import type { CandleBucket } from '../../../shared/domain';
import { timeframeMs } from '../../../shared/timeframe';
import { bridge } from '../bridge';
import { useRevision } from '../state/series-store';
import { useForming } from '../state/forming-store';
import { useThemeStore } from '../state/theme-store';
import { useWidth } from '../hooks/use-width';
import { useCoalescedFetch } from '../hooks/use-coalesced-fetch';
import { prepareCanvas, themeColors } from '../canvas/surface';
import {
  bucketAt,
  CHART_VARS,
  chartLayout,
  maxBucketsFor,
  paintChart,
  paintCrosshair,
  priceScale,
  visibleBuckets,
} from '../canvas/candle-paint';
import { panView, timeAt, zoomView, type TimeView } from '../view/time-view';
import { formatCount, formatPrice, formatTimeShort, formatUtc, formatVolume } from '../format';

const HEIGHT = 440;

interface CandleChartProps {
  series: SeriesView;
  view: TimeView;
  bounds: TimeView;
  onView: (view: TimeView) => void;
}

function Readout({ bucket, bucketMs }: { bucket: CandleBucket | null; bucketMs: number }) {
  if (!bucket) return <div className="readout muted">Hover the chart for values</div>;
  const up = bucket.close >= bucket.open;
  return (
    <div className="readout num" data-testid="chart-readout" title={formatUtc(bucket.ts)}>
      <span>{formatTimeShort(bucket.ts)}</span>
      <span>O {formatPrice(bucket.open)}</span>
      <span>H {formatPrice(bucket.high)}</span>
      <span>L {formatPrice(bucket.low)}</span>
      <span className={up ? 'up' : 'down'}>C {formatPrice(bucket.close)}</span>
      {bucket.volume !== null && <span>V {formatVolume(bucket.volume)}</span>}
      {bucket.count > 1 && (
        <span className="muted">
          {formatCount(bucket.count)} candles in {Math.round(bucketMs / 60_000)} min
        </span>
      )}
    </div>
  );
}

export function CandleChart({ series, view, bounds, onView }: CandleChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const overlay = useRef<HTMLCanvasElement>(null);
  const width = useWidth(box);
  const theme = useThemeStore((s) => s.theme);
  const revision = useRevision(series.id);
  const formingCandle = useForming(series.id);
  const layout = useMemo(() => chartLayout(width, HEIGHT), [width]);
  const minSpan = timeframeMs(series.timeframe) * 20;
  const args =
    width > 0 ? { seriesId: series.id, from: view.from, to: view.to, maxBuckets: maxBucketsFor(layout) } : null;
  const { result, error } = useCoalescedFetch(
    args,
    `${series.id}:${view.from}:${view.to}:${args?.maxBuckets}:${revision}`,
    (a) => bridge.invoke('candles:buckets', a),
  );
  // Drawn only when one bar is one candle (inside an aggregated bar a partial candle means little),
  // and only while it is newer than the last stored candle.
  const forming = useMemo<CandleBucket | null>(
    () =>
      formingCandle &&
      result &&
      result.bucketMs === timeframeMs(series.timeframe) &&
      formingCandle.ts > (series.lastTs ?? -Infinity)
        ? { ...formingCandle, count: 1 }
        : null,
    [formingCandle, result, series.lastTs, series.timeframe],
  );
  const [hovered, setHovered] = useState<CandleBucket | null>(null);
  const drag = useRef<{ x: number; view: TimeView } | null>(null);
  const latest = useRef({ view, bounds, onView, minSpan, plotWidth: layout.plotWidth });
  latest.current = { view, bounds, onView, minSpan, plotWidth: layout.plotWidth };

  useEffect(() => {
    const el = canvas.current;
    if (!el || width <= 0) return;
    const ctx = prepareCanvas(el, width, HEIGHT);
    if (!ctx) return;
    paintChart(
      ctx,
      result && result.seriesId === series.id ? result : null,
      view,
      layout,
      themeColors(el, CHART_VARS),
      forming,
    );
    // What is on screen, for tests and the bench: the range whose data was drawn, and the forming candle.
    if (root.current) root.current.dataset.forming = forming ? `${forming.ts} ${forming.close}` : '';
    if (root.current && result) {
      root.current.dataset.drawnFrom = String(result.from);
      root.current.dataset.drawnTo = String(result.to);
      root.current.dataset.buckets = String(visibleBuckets(result, view).length);
    }
  }, [result, view, layout, width, theme, series.id, forming]);

  // Wheel zoom needs a non-passive listener to keep the page from scrolling.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const onWheel = (e: WheelEvent): void => {
      e.preventDefault();
      const { view: v, bounds: b, onView: set, minSpan: min, plotWidth } = latest.current;
      const x = e.clientX - el.getBoundingClientRect().left;
      const factor = Math.exp(Math.max(-1, Math.min(1, e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0025))));
      set(zoomView(v, factor, timeAt(v, Math.min(plotWidth, Math.max(0, x)), plotWidth), b, min));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  const clearCrosshair = (): void => {
    const el = overlay.current;
    if (el && width > 0) prepareCanvas(el, width, HEIGHT);
    setHovered(null);
  };

  const onPointerMove = (e: React.PointerEvent): void => {
    const rect = box.current!.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top;
    const d = drag.current;
    if (d) {
      const msPerPx = (d.view.to - d.view.from) / layout.plotWidth;
      onView(panView(d.view, -(e.clientX - d.x) * msPerPx, bounds, minSpan));
      return;
    }
    const el = overlay.current;
    if (!el || x > layout.plotWidth || !result) return clearCrosshair();
    const ctx = prepareCanvas(el, width, HEIGHT);
    if (!ctx) return;
    const ts = timeAt(view, x, layout.plotWidth);
    const scale = priceScale(visibleBuckets(result, view), layout);
    paintCrosshair(
      ctx,
      x,
      y,
      layout,
      themeColors(el, CHART_VARS),
      scale ? scale.priceAt(y) : null,
      formatTimeShort(ts),
    );
    setHovered(bucketAt(result, ts));
  };

  const onKeyDown = (e: React.KeyboardEvent): void => {
    const step = (view.to - view.from) * 0.15;
    const center = (view.from + view.to) / 2;
    const next: Record<string, () => TimeView> = {
      ArrowLeft: () => panView(view, -step, bounds, minSpan),
      ArrowRight: () => panView(view, step, bounds, minSpan),
      '+': () => zoomView(view, 0.6, center, bounds, minSpan),
      '=': () => zoomView(view, 0.6, center, bounds, minSpan),
      '-': () => zoomView(view, 1 / 0.6, center, bounds, minSpan),
      '0': () => bounds,
      Home: () => bounds,
    };
    const action = next[e.key];
    if (!action) return;
    e.preventDefault();
    onView(action());
  };

  return (
    <div
      className="candle-chart"
      ref={root}
      data-testid="candle-chart"
      data-view-from={view.from}
      data-view-to={view.to}
      data-bounds-from={bounds.from}
      data-bounds-to={bounds.to}
    >
      <Readout bucket={hovered} bucketMs={result?.bucketMs ?? 0} />
      <div
        className="chart-surface"
        ref={box}
        tabIndex={0}
        role="img"
        aria-label={`Candles of ${series.symbol} ${series.timeframe}. Arrows pan, plus and minus zoom, 0 shows everything.`}
        onKeyDown={onKeyDown}
        onPointerDown={(e) => {
          if (e.button !== 0) return;
          (e.target as Element).setPointerCapture(e.pointerId);
          drag.current = { x: e.clientX, view };
          clearCrosshair();
        }}
        onPointerMove={onPointerMove}
        onPointerUp={() => (drag.current = null)}
        onPointerLeave={() => !drag.current && clearCrosshair()}
        onDoubleClick={() => onView(bounds)}
        style={{ height: HEIGHT }}
      >
        <canvas ref={canvas} />
        <canvas ref={overlay} className="overlay" />
      </div>
      {error && (
        <p className="error-text small" role="alert">
          {error}
        </p>
      )}
      {result && (
        <p className="small muted chart-note" data-testid="chart-note">
          {result.bucketMs > timeframeMs(series.timeframe)
            ? `Each bar aggregates ${formatCount(result.bucketMs / timeframeMs(series.timeframe))} × ${series.timeframe} candles (server-side, to the chart's width).`
            : `One bar per ${series.timeframe} candle.`}{' '}
          Gaps are holes: nothing stored there.
        </p>
      )}
    </div>
  );
}
