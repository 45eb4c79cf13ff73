/** Checks every spec runs on each screen it visits: nothing wider than the window, nothing cut off. */
import { expect, type Page } from '@playwright/test';

/** Elements that stick out past the right edge of the window (a table or a form that broke the layout). */
export async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const limit = document.documentElement.clientWidth;
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('main *'))) {
      if (el.closest('[role="tooltip"], [role="listbox"], .dialog')) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width > 0 && rect.right > limit + 1)
        out.push(`${el.tagName.toLowerCase()}.${el.className || ''} right=${Math.round(rect.right)} > ${limit}`);
    }
    const main = document.querySelector<HTMLElement>('.main');
    if (main && main.scrollWidth > main.clientWidth + 1)
      out.push(`.main scrolls sideways (${main.scrollWidth} > ${main.clientWidth})`);
    return out.slice(0, 10);
  });
}

/** Screenshot a screen after checking its layout held. */
export async function screen(page: Page, path: string): Promise<void> {
  expect(await overflowing(page)).toEqual([]);
  await page.screenshot({ path });
}
