/**
 * Draws Candlekeep's icons (no downloads, no image tools): the app icon (three candlesticks on a
 * dark rounded square) and one tray icon per health state (a single candlestick in the state's
 * colour). `tsx electron/shell/tooling/icons.ts` writes them to build/:
 *   icon.png (1024), icons/NxN.png (Linux), icon.ico (Windows), tray/tray-<state>.png and @2x.
 * macOS's .icns is made from icon.png by electron-builder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TRAY_ICON_KEYS, type TrayIconKey } from '../tray-model.js';
import { encodeIco, encodePng } from './png.js';

type Rgb = [number, number, number];
/** A shape in unit coordinates (0..1 both ways): a rectangle with rounded corners. */
interface Shape {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  radius: number;
  color: Rgb;
}

const hex = (h: string): Rgb => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];

export const STATE_COLORS: Record<TrayIconKey, string> = {
  ok: '#2ecc71',
  degraded: '#f5a623',
  down: '#e5484d',
  paused: '#8b929c',
};

function inside(s: Shape, x: number, y: number): boolean {
  if (x < s.x0 || x > s.x1 || y < s.y0 || y > s.y1) return false;
  const cx = Math.min(Math.max(x, s.x0 + s.radius), s.x1 - s.radius);
  const cy = Math.min(Math.max(y, s.y0 + s.radius), s.y1 - s.radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= s.radius ** 2;
}

/** Paint shapes in order, 4x4 supersampled for smooth edges; transparent elsewhere. */
export function render(size: number, shapes: Shape[]): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = (px + (sx + 0.5) / n) / size;
          const y = (py + (sy + 0.5) / n) / size;
          for (let i = shapes.length - 1; i >= 0; i--) {
            const s = shapes[i]!;
            if (inside(s, x, y)) {
              r += s.color[0];
              g += s.color[1];
              b += s.color[2];
              a += 1;
              break;
            }
          }
        }
      }
      const o = (py * size + px) * 4;
      if (a > 0) {
        out[o] = Math.round(r / a);
        out[o + 1] = Math.round(g / a);
        out[o + 2] = Math.round(b / a);
        out[o + 3] = Math.round((a / (n * n)) * 255);
      }
    }
  }
  return out;
}

function candle(
  cx: number,
  bodyTop: number,
  bodyBottom: number,
  wickTop: number,
  wickBottom: number,
  color: Rgb,
  bodyWidth: number,
  wickWidth: number,
): Shape[] {
  return [
    { x0: cx - wickWidth / 2, y0: wickTop, x1: cx + wickWidth / 2, y1: wickBottom, radius: wickWidth / 2, color },
    { x0: cx - bodyWidth / 2, y0: bodyTop, x1: cx + bodyWidth / 2, y1: bodyBottom, radius: bodyWidth * 0.12, color },
  ];
}

export function appIconShapes(): Shape[] {
  const up = hex('#2ecc71');
  const down = hex('#e5484d');
  return [
    { x0: 0.06, y0: 0.06, x1: 0.94, y1: 0.94, radius: 0.2, color: hex('#141821') },
    ...candle(0.3, 0.42, 0.7, 0.3, 0.8, up, 0.13, 0.03),
    ...candle(0.5, 0.3, 0.56, 0.2, 0.66, down, 0.13, 0.03),
    ...candle(0.7, 0.24, 0.5, 0.16, 0.6, up, 0.13, 0.03),
  ];
}

export function trayIconShapes(state: TrayIconKey): Shape[] {
  return candle(0.5, 0.25, 0.75, 0.06, 0.94, hex(STATE_COLORS[state]), 0.44, 0.14);
}

export const LINUX_SIZES = [16, 32, 48, 64, 128, 256, 512];
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];

/** Every generated file, path relative to build/ -> PNG or ICO bytes. */
export function iconFiles(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const app = (size: number): Buffer => encodePng(size, size, render(size, appIconShapes()));
  files.set('icon.png', app(1024));
  for (const size of LINUX_SIZES) files.set(`icons/${size}x${size}.png`, app(size));
  files.set('icon.ico', encodeIco(ICO_SIZES.map((size) => ({ size, png: app(size) }))));
  for (const state of TRAY_ICON_KEYS) {
    files.set(`tray/tray-${state}.png`, encodePng(16, 16, render(16, trayIconShapes(state))));
    files.set(`tray/tray-${state}@2x.png`, encodePng(32, 32, render(32, trayIconShapes(state))));
  }
  return files;
}

export function writeIcons(buildDir: string): string[] {
  const written: string[] = [];
  for (const [name, bytes] of iconFiles()) {
    const file = path.join(buildDir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes);
    written.push(name);
  }
  return written;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const buildDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../build');
  console.log(`wrote ${writeIcons(buildDir).length} icons to ${buildDir}`);
}
