/**
 * When a source fails, its tile gets loud (degraded or down, with the error) and quiets down again
 * once the source recovers; a hole left open by failures is selected on the gap map and backfilled.
 */
import { test, expect, type Page } from '@playwright/test';
import { watchConsole } from './helpers.js';
import { screen } from './layout.js';
import { DAY, MINUTE, minuteNow, punchOpenHole, simControl, startStack, type Stack } from './stack.js';

let stack: Stack;
const now = minuteNow();
const hole = { from: now - 2 * DAY + 3 * 60 * MINUTE, to: now - 2 * DAY + 5 * 60 * MINUTE };

test.beforeAll(async () => {
  stack = await startStack({
    seed: 7,
    backfill: { symbol: 'BTCUSDT', timeframe: '1m', from: now - 3 * DAY, to: now },
    prepare: (db) => expect(punchOpenHole(db, 'BTCUSDT', hole.from, hole.to)).toBe(120),
  });
});

test.afterAll(async () => {
  await stack?.close();
});

const binanceStatus = (page: Page) =>
  page.getByTestId('source-tile').filter({ hasText: 'binance' }).getByTestId('source-status');

/** Drag across the strip from one time to another (its data attributes say which range it shows). */
async function dragOnStrip(page: Page, from: number, to: number): Promise<void> {
  const strip = page.getByTestId('gap-strip');
  const view = await strip.evaluate((el: HTMLElement) => ({
    from: Number(el.dataset.viewFrom),
    to: Number(el.dataset.viewTo),
  }));
  const box = (await strip.locator('canvas').boundingBox())!;
  const x = (ts: number): number => box.x + ((ts - view.from) / (view.to - view.from)) * box.width;
  await page.mouse.move(x(from), box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move((x(from) + x(to)) / 2, box.y + box.height / 2, { steps: 4 });
  await page.mouse.move(x(to), box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
}

test('a failing source turns its tile loud, then quiet again; a hole is backfilled from the gap map', async ({
  page,
}, testInfo) => {
  test.setTimeout(150_000);
  const errors = watchConsole(page);
  await page.goto(stack.serverUrl);
  // Calm to begin with: ok, or idle until the next candle closes and is fetched.
  await expect(binanceStatus(page)).toHaveText(/^(ok|idle)$/, { timeout: 20_000 });

  // The source starts failing every klines request while a long backfill needs it.
  await simControl(stack.simUrl, 'faults', {
    rules: [{ kind: 'server_error', probability: 1, route: '/binance/api/v3/klines' }],
  });
  await expect(page.getByTestId('overview-page')).toBeVisible();
  await page.keyboard.press('4');
  await expect(page.getByTestId('backfill-page')).toBeVisible();
  await page.getByTestId('symbol-input').fill('ETHUSDT');
  await page.getByTestId('symbol-input').press('Escape');
  await page.getByTestId('timeframe-select').selectOption('1m');
  await page
    .getByTestId('backfill-from')
    .fill(new Date(now - 60 * DAY - new Date().getTimezoneOffset() * MINUTE).toISOString().slice(0, 16));
  await expect(page.getByTestId('plan-requests')).toHaveText(/\d+/);
  await page.getByTestId('start-backfill').click();

  await page.keyboard.press('1');
  const tile = page.getByTestId('source-tile').filter({ hasText: 'binance' });
  await expect(binanceStatus(page)).toHaveText(/degraded|down/, { timeout: 30_000 });
  await expect(tile.getByTestId('source-last-error')).toContainText(/50\d|server/i);
  await screen(page, testInfo.outputPath('1-source-failing.png'));

  // The source recovers: the tile goes quiet again on its own (pushed health, no reload).
  await simControl(stack.simUrl, 'faults', { clear: true });
  await expect(binanceStatus(page)).toHaveText('ok', { timeout: 90_000 });
  await expect(tile).toHaveAttribute('data-status', 'ok');
  await screen(page, testInfo.outputPath('2-source-recovered.png'));

  // The hole the failures left is red on the gap map and listed with its reason.
  await page.getByTestId('series-row').filter({ hasText: 'BTCUSDT' }).click();
  const strip = page.getByTestId('gap-strip');
  await expect(strip).toHaveAttribute('data-open', '120');
  const openRow = page.locator('[data-testid="hole-row"][data-state="open"]');
  await expect(openRow).toContainText('fetching failed');

  // Select it on the strip, read the plan, send it to a backfill.
  await dragOnStrip(page, hole.from - 20 * MINUTE, hole.to + 20 * MINUTE);
  const bar = page.getByTestId('range-backfill');
  await expect(bar).toContainText('missing');
  await expect(bar.getByTestId('range-plan')).toContainText('Plan: 120 to fetch · 1 request ·');
  await screen(page, testInfo.outputPath('3-hole-selected.png'));
  await bar.getByTestId('backfill-range').click();
  await expect(bar.getByTestId('range-backfill-started')).toBeVisible();

  // The hole is gone: the strip and the ledger say so.
  await expect(strip).toHaveAttribute('data-open', '0', { timeout: 30_000 });
  await expect(openRow).toHaveCount(0);
  await screen(page, testInfo.outputPath('4-hole-filled.png'));
  expect(errors).toEqual([]);
});
