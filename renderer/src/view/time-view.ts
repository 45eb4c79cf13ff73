/** A visible time range and the pan/zoom arithmetic of charts and gap strips (pure, unit-tested). */

export interface TimeView {
  from: number;
  to: number;
}

export function span(view: TimeView): number {
  return view.to - view.from;
}

/** Keep a view inside `bounds` and at least `minSpan` wide, preserving its width where possible. */
export function clampView(view: TimeView, bounds: TimeView, minSpan: number): TimeView {
  const maxSpan = span(bounds);
  const width = Math.min(maxSpan, Math.max(minSpan, span(view)));
  let from = view.from + (span(view) - width) / 2;
  from = Math.min(Math.max(from, bounds.from), bounds.to - width);
  return { from: Math.round(from), to: Math.round(from + width) };
}

/** Zoom by `factor` (< 1 zooms in) keeping the time under `anchor` where it is. */
export function zoomView(view: TimeView, factor: number, anchor: number, bounds: TimeView, minSpan: number): TimeView {
  const width = Math.min(span(bounds), Math.max(minSpan, span(view) * factor));
  const share = span(view) > 0 ? (anchor - view.from) / span(view) : 0.5;
  const from = anchor - share * width;
  const next = { from, to: from + width };
  const clamped = clampView(next, bounds, minSpan);
  return clamped;
}

export function panView(view: TimeView, deltaMs: number, bounds: TimeView, minSpan: number): TimeView {
  return clampView({ from: view.from + deltaMs, to: view.to + deltaMs }, bounds, minSpan);
}

/** The time at pixel `x` of a strip `width` pixels wide showing `view`. */
export function timeAt(view: TimeView, x: number, width: number): number {
  return view.from + (x / Math.max(1, width)) * span(view);
}

export function xAt(view: TimeView, ts: number, width: number): number {
  return ((ts - view.from) / Math.max(1, span(view))) * width;
}

export function sameView(a: TimeView | null, b: TimeView | null): boolean {
  return a === b || (!!a && !!b && a.from === b.from && a.to === b.to);
}
