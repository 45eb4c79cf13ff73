/**
 * A zoom, timed inside the page: input event until the new range's data is drawn (goal < 300 ms), at
 * every step, against fetching the raw candles of the same range from the same server (GET /export
 * …&format=json, parsed): what a view without server-side aggregation would have to do.
 */
import type { Page } from '@playwright/test';
import { limit, median, worst, type TimedClaim } from './claims.js';

export type ZoomInput = 'wheel-in' | 'wheel-out' | 'click' | 'zoom-out' | 'whole';

/**
 * Fire `input` inside the page and resolve with the ms until the element's drawn range equals its
 * (new) view range and one more frame was painted: what the user waits for after a zoom.
 */
async function timedUpdate(
  page: Page,
  selector: string,
  input: ZoomInput,
): Promise<{ ms: number; from: number; to: number }> {
  return page.evaluate(
    async ({ selector, input }) => {
      const el = document.querySelector<HTMLElement>(selector)!;
      const before = `${el.dataset.viewFrom}-${el.dataset.viewTo}`;
      const target = el.querySelector<HTMLElement>('.chart-surface, .strip-canvas')!;
      const rect = target.getBoundingClientRect();
      const at = {
        clientX: rect.left + rect.width * 0.5,
        clientY: rect.top + rect.height * 0.5,
        bubbles: true,
        cancelable: true,
      };
      const started = performance.now();
      if (input === 'wheel-in' || input === 'wheel-out')
        target.dispatchEvent(new WheelEvent('wheel', { ...at, deltaY: input === 'wheel-in' ? -400 : 400 }));
      else if (input === 'click') {
        target.dispatchEvent(new PointerEvent('pointerdown', { ...at, button: 0, pointerId: 1 }));
        target.dispatchEvent(new PointerEvent('pointerup', { ...at, button: 0, pointerId: 1 }));
      } else {
        const label = input === 'zoom-out' ? 'Zoom out' : 'Whole history';
        [...el.querySelectorAll('button')].find((b) => b.textContent === label)!.click();
      }
      await new Promise<void>((resolve, reject) => {
        const deadline = started + 20_000;
        const check = (): void => {
          const view = `${el.dataset.viewFrom}-${el.dataset.viewTo}`;
          if (
            view !== before &&
            el.dataset.drawnFrom === el.dataset.viewFrom &&
            el.dataset.drawnTo === el.dataset.viewTo
          )
            resolve();
          else if (performance.now() > deadline) reject(new Error(`${selector} did not update after ${input}`));
          else requestAnimationFrame(check);
        };
        check();
      });
      await new Promise((r) => requestAnimationFrame(r));
      return { ms: performance.now() - started, from: Number(el.dataset.viewFrom), to: Number(el.dataset.viewTo) };
    },
    { selector, input },
  );
}

/** The baseline: the raw candles of the same range from the same server, fetched and parsed in the page. */
async function rawFetch(page: Page, seriesId: number, from: number, to: number): Promise<number> {
  return page.evaluate(
    async ({ seriesId, from, to }) => {
      const started = performance.now();
      const res = await fetch(`/export?seriesId=${seriesId}&from=${from}&to=${to}&format=json`);
      const rows = JSON.parse(await res.text()) as unknown[];
      if (!res.ok || !Array.isArray(rows)) throw new Error(`raw fetch failed: HTTP ${res.status}`);
      return performance.now() - started;
    },
    { seriesId, from, to },
  );
}

/** True when a view already shows all there is (zooming out further changes nothing). */
async function atBounds(page: Page, selector: string): Promise<boolean> {
  return page.$eval(selector, (el) => {
    const d = (el as HTMLElement).dataset;
    return d.boundsFrom !== undefined && d.viewFrom === d.boundsFrom && d.viewTo === d.boundsTo;
  });
}

/** Each input in turn on the view at `selector`, timed, then the raw fetch of the range it shows. */
async function zoomRun(
  page: Page,
  selector: string,
  seriesId: number,
  inputs: ZoomInput[],
): Promise<{ ours: number[]; raw: number[] }> {
  const run = { ours: [] as number[], raw: [] as number[] };
  for (const input of inputs) {
    if (input === 'wheel-out' && (await atBounds(page, selector))) break;
    const step = await timedUpdate(page, selector, input);
    run.ours.push(step.ms);
    run.raw.push(await rawFetch(page, seriesId, step.from, step.to));
  }
  return run;
}

/** The two rows of a zoomed view (e.g. 'chart'): its median step against the raw fetch, its slowest against the limit. */
export async function benchZoom(
  page: Page,
  view: string,
  selector: string,
  seriesId: number,
  inputs: ZoomInput[],
): Promise<TimedClaim[]> {
  const run = await zoomRun(page, selector, seriesId, inputs);
  return [
    {
      name: `${view} update after zoom`,
      ms: median(run.ours),
      against: { name: 'fetch raw candles for the same range', ms: median(run.raw) },
      note: `${run.ours.length} zooms, a year down to hours and back; slowest ${Math.round(worst(run.ours))} ms`,
    },
    {
      name: `${view} update after zoom, slowest step`,
      ms: worst(run.ours),
      against: limit(300),
      note: `steps (ms): ${run.ours.map(Math.round).join(', ')}`,
    },
  ];
}
