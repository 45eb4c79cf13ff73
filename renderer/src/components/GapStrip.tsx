/**
 * A series' coverage strip on canvas: buckets from 'gaps:map' (at most one per pixel), hover for a
 * bucket's range and causes, click to zoom, drag (or Shift+arrows) to select a range and backfill it.
 * Re-fetches when the series' revision moves (its candles or holes changed), never on a timer.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { GapMapResult, SeriesView } from '../../../shared/contract';
import { timeframeMs } from '../../../shared/timeframe';
import { bridge } from '../bridge';
import { useRevision } from '../state/series-store';
import { useThemeStore } from '../state/theme-store';
import { useWidth } from '../hooks/use-width';
import { prepareCanvas, themeColors } from '../canvas/surface';
import { COVERAGE_VARS, paintGapStrip } from '../canvas/gap-strip-paint';
import { timeTicks } from '../canvas/ticks';
import { bucketIndexAt, coverageTotals, storedShare } from '../view/coverage';
import { clampView, sameView, timeAt, xAt, zoomView, type TimeView } from '../view/time-view';
import { GapTooltip } from './GapTooltip';
import { RangeBackfill } from './RangeBackfill';
import { formatCount, formatPercent, formatRange, formatUtcRange } from '../format';

const CLICK_ZOOM = 1 / 8;
const DRAG_PX = 4;

interface Drag {
  startX: number;
  startTs: number;
  moved: boolean;
}

export function GapStrip({ series, height = 28 }: { series: SeriesView; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const width = useWidth(box);
  const theme = useThemeStore((s) => s.theme);
  const revision = useRevision(series.id);
  const [bounds, setBounds] = useState<TimeView>(() => ({ from: series.startTs, to: Date.now() }));
  const [zoomed, setZoomed] = useState<TimeView | null>(null);
  const [result, setResult] = useState<GapMapResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [hover, setHover] = useState<number | null>(null);
  const [selection, setSelection] = useState<TimeView | null>(null);
  const drag = useRef<Drag | null>(null);
  const minSpan = timeframeMs(series.timeframe) * 30;
  // The live edge moves as candles arrive: the whole-history view follows it.
  useEffect(() => setBounds({ from: series.startTs, to: Date.now() }), [series.startTs, revision]);
  const view = zoomed ?? bounds;

  useEffect(() => {
    if (width <= 0 || view.to <= view.from) return;
    let current = true;
    bridge
      .invoke('gaps:map', { seriesId: series.id, from: view.from, to: view.to, maxBuckets: Math.min(10_000, width) })
      .then((r) => current && (setResult(r), setError(null)))
      .catch((err: Error) => current && setError(err.message));
    return () => {
      current = false;
    };
  }, [series.id, view.from, view.to, width, revision]);

  const buckets = useMemo(() => result?.buckets ?? [], [result]);

  useEffect(() => {
    const el = canvas.current;
    if (!el || width <= 0) return;
    const ctx = prepareCanvas(el, width, height);
    if (!ctx) return;
    paintGapStrip(ctx, {
      buckets,
      view,
      width,
      height,
      palette: themeColors(el, COVERAGE_VARS),
      selection,
      cursor: hover,
    });
    // What is on screen, for tests and the bench: the range of the data drawn.
    if (root.current && result) {
      root.current.dataset.drawnFrom = String(result.from);
      root.current.dataset.drawnTo = String(result.to);
    }
  }, [buckets, result, view, width, height, selection, hover, theme]);

  const tsAtEvent = (clientX: number): number => {
    const rect = box.current!.getBoundingClientRect();
    return timeAt(view, Math.max(0, Math.min(width, clientX - rect.left)), width);
  };

  /** A selection from two times, snapped out to whole buckets and kept inside the series. */
  const snapped = useCallback(
    (a: number, b: number): TimeView => {
      const lo = buckets[bucketIndexAt(buckets, Math.min(a, b))]?.from ?? Math.min(a, b);
      const hi = buckets[bucketIndexAt(buckets, Math.max(a, b))]?.to ?? Math.max(a, b);
      return { from: Math.max(lo, series.startTs), to: Math.min(hi, bounds.to) };
    },
    [buckets, series.startTs, bounds.to],
  );

  const zoomTo = (next: TimeView | null): void => {
    const clamped = next ? clampView(next, bounds, minSpan) : null;
    setZoomed(clamped && !sameView(clamped, bounds) ? clamped : null);
    setSelection(null);
  };

  const onPointerDown = (e: React.PointerEvent): void => {
    if (e.button !== 0) return;
    (e.target as Element).setPointerCapture(e.pointerId);
    drag.current = { startX: e.clientX, startTs: tsAtEvent(e.clientX), moved: false };
  };
  const onPointerMove = (e: React.PointerEvent): void => {
    const ts = tsAtEvent(e.clientX);
    setHover(bucketIndexAt(buckets, ts));
    const d = drag.current;
    if (!d) return;
    if (Math.abs(e.clientX - d.startX) >= DRAG_PX) d.moved = true;
    if (d.moved) setSelection(snapped(d.startTs, ts));
  };
  const onPointerUp = (e: React.PointerEvent): void => {
    const d = drag.current;
    drag.current = null;
    if (!d) return;
    if (!d.moved) zoomTo(zoomView(view, CLICK_ZOOM, tsAtEvent(e.clientX), bounds, minSpan));
  };

  const onKeyDown = (e: React.KeyboardEvent): void => {
    if (!buckets.length) return;
    const at = hover ?? (e.key === 'ArrowLeft' ? buckets.length - 1 : 0);
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      e.preventDefault();
      const next = Math.max(0, Math.min(buckets.length - 1, at + (e.key === 'ArrowLeft' ? -1 : 1)));
      if (e.shiftKey) {
        const anchor = selection ? (next > at ? selection.from : selection.to - 1) : buckets[at]!.from;
        setSelection(snapped(anchor, buckets[next]!.from));
      }
      setHover(next);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (selection) zoomTo(selection);
      else zoomTo(zoomView(view, CLICK_ZOOM, (buckets[at]!.from + buckets[at]!.to) / 2, bounds, minSpan));
    } else if (e.key === '-' || e.key === 'Backspace') {
      e.preventDefault();
      zoomTo(zoomView(view, 4, (view.from + view.to) / 2, bounds, minSpan));
    } else if (e.key === 'Escape') {
      if (selection) setSelection(null);
      else zoomTo(null);
    }
  };

  const totals = useMemo(() => coverageTotals(buckets), [buckets]);
  const selectedTotals = useMemo(
    () => (selection ? coverageTotals(buckets, selection.from, selection.to) : null),
    [buckets, selection],
  );
  const hovered = hover !== null ? buckets[hover] : undefined;
  const ticks = width > 0 ? timeTicks(view.from, view.to, width, 130) : [];
  const share = storedShare(totals);

  return (
    <div
      className="gap-strip"
      ref={root}
      data-testid="gap-strip"
      data-series-id={series.id}
      data-view-from={view.from}
      data-view-to={view.to}
      data-expected={totals.expected}
      data-stored={totals.stored}
      data-open={totals.open}
      data-unknown={totals.unknown}
    >
      <div
        className="strip-canvas"
        ref={box}
        tabIndex={0}
        role="img"
        aria-label={`Coverage of ${series.symbol} ${series.timeframe}, ${formatRange(view.from, view.to)}: ${formatPercent(share)} stored. Arrows move, Shift+arrows select, Enter zooms.`}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerLeave={() => !drag.current && setHover(null)}
        onKeyDown={onKeyDown}
        onBlur={() => setHover(null)}
        style={{ height }}
      >
        <canvas ref={canvas} />
        {hovered && (
          <GapTooltip bucket={hovered} left={Math.max(0, Math.min(width - 260, xAt(view, hovered.from, width)))} />
        )}
      </div>
      <div className="strip-axis" aria-hidden="true">
        {ticks.map((t) => (
          <span key={t.ts} style={{ left: xAt(view, t.ts, width) }}>
            {t.label}
          </span>
        ))}
      </div>
      <div className="strip-foot">
        <span className="num small" data-testid="gap-summary" title={formatUtcRange(view.from, view.to)}>
          <span className={totals.open ? 'error-text' : undefined}>{formatPercent(share)} stored</span> ·{' '}
          {formatCount(totals.open)} in open holes · {formatCount(totals.unknown)} not fetched
          {totals.confirmedEmpty > 0 && <> · {formatCount(totals.confirmedEmpty)} confirmed empty</>}
          {totals.rejected > 0 && <span className="error-text"> · {formatCount(totals.rejected)} rejected</span>}
        </span>
        <span className="button-row">
          {zoomed && <span className="small muted">{formatRange(view.from, view.to)}</span>}
          {zoomed && (
            <button
              className="small"
              onClick={() => zoomTo(zoomView(view, 4, (view.from + view.to) / 2, bounds, minSpan))}
            >
              Zoom out
            </button>
          )}
          {zoomed && (
            <button className="small" onClick={() => zoomTo(null)}>
              Whole history
            </button>
          )}
        </span>
      </div>
      {error && <p className="error-text small">{error}</p>}
      {selection && selectedTotals && (
        <RangeBackfill
          series={series}
          range={selection}
          totals={selectedTotals}
          onZoom={() => zoomTo(selection)}
          onClear={() => setSelection(null)}
        />
      )}
    </div>
  );
}
