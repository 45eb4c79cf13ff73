/** The chart of the 1m series (500,000 candles over ~347 days), opened on its whole range, zoomed in to hours and out again. */
import type { Page } from '@playwright/test';
import type { TimedClaim } from './claims.js';
import { benchZoom, type ZoomInput } from './zoom.js';

const CHART = '[data-testid="candle-chart"]';
/** Six steps in, then out until the whole range shows again (zoomRun stops there). */
const INPUTS: ZoomInput[] = [...Array<ZoomInput>(6).fill('wheel-in'), ...Array<ZoomInput>(8).fill('wheel-out')];

export async function benchChartZoom(page: Page, url: string, seriesId: number): Promise<TimedClaim[]> {
  await page.goto(`${url}/#/chart/${seriesId}?from=0&to=${Date.now() + 86_400_000}`);
  await page.waitForFunction(
    () => {
      const el = document.querySelector<HTMLElement>('[data-testid="candle-chart"]');
      return !!el && el.dataset.drawnFrom === el.dataset.viewFrom && el.dataset.drawnTo === el.dataset.viewTo;
    },
    undefined,
    { timeout: 30_000 },
  );
  return benchZoom(page, 'chart', CHART, seriesId, INPUTS);
}
