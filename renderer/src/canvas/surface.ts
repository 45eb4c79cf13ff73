/** A canvas sized in CSS pixels and drawn at the screen's density, and the theme's colours for it. */

export function prepareCanvas(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
): CanvasRenderingContext2D | null {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(width * ratio));
  const h = Math.max(1, Math.round(height * ratio));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext('2d');
  ctx?.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx?.clearRect(0, 0, width, height);
  return ctx;
}

/** CSS custom properties as colours (the theme lives in CSS; canvas follows it). */
export function themeColors<K extends string>(element: Element, names: Record<K, string>): Record<K, string> {
  const style = getComputedStyle(element);
  const out = {} as Record<K, string>;
  for (const key of Object.keys(names) as K[]) out[key] = style.getPropertyValue(names[key]).trim() || '#888';
  return out;
}

export const UI_FONT = '11px system-ui, -apple-system, "Segoe UI", sans-serif';
