import { describe, expect, it } from 'vitest';
import { clampView, panView, timeAt, zoomView } from './time-view';

const bounds = { from: 0, to: 1_000 };

describe('time view', () => {
  it('zooms in around the anchor, keeping it under the pointer', () => {
    const view = zoomView({ from: 0, to: 1_000 }, 0.5, 250, bounds, 10);
    expect(view).toEqual({ from: 125, to: 625 });
    expect(timeAt(view, 25, 100)).toBe(250);
  });

  it('never zooms out past the bounds nor in past the minimum span', () => {
    expect(zoomView({ from: 100, to: 900 }, 4, 500, bounds, 10)).toEqual(bounds);
    expect(zoomView({ from: 100, to: 120 }, 0.01, 110, bounds, 10)).toEqual({ from: 105, to: 115 });
  });

  it('pans and stops at the edges without shrinking', () => {
    expect(panView({ from: 100, to: 300 }, 50, bounds, 10)).toEqual({ from: 150, to: 350 });
    expect(panView({ from: 700, to: 900 }, 500, bounds, 10)).toEqual({ from: 800, to: 1_000 });
    expect(panView({ from: 100, to: 300 }, -500, bounds, 10)).toEqual({ from: 0, to: 200 });
  });

  it('clamps a view wider than the bounds to the bounds', () => {
    expect(clampView({ from: -50, to: 2_000 }, bounds, 10)).toEqual(bounds);
  });
});
