/** The gap map of the 1m series: three clicks in (each zooms in around the clicked moment), two steps out, then the whole history. */
import type { Page } from '@playwright/test';
import type { TimedClaim } from './claims.js';
import { benchZoom, type ZoomInput } from './zoom.js';

const GAP_STRIP = '[data-testid="gap-strip"]';
const INPUTS: ZoomInput[] = ['click', 'click', 'click', 'zoom-out', 'zoom-out', 'whole'];

export async function benchGapZoom(page: Page, url: string, seriesId: number): Promise<TimedClaim[]> {
  await page.goto(`${url}/#/series/${seriesId}`);
  await page.waitForFunction(
    () => {
      const el = document.querySelector<HTMLElement>('[data-testid="gap-strip"]');
      return !!el && el.dataset.drawnFrom === el.dataset.viewFrom && Number(el.dataset.stored) > 0;
    },
    undefined,
    { timeout: 30_000 },
  );
  return benchZoom(page, 'gap map', GAP_STRIP, seriesId, INPUTS);
}
