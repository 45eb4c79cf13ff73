/**
 * A new user's first minutes: an empty dashboard says what to do; they add a series, watch its
 * history backfill to completion and its gap map fill in, open its chart (crosshair values, zoom),
 * plan and start a backfill of the same instrument at another timeframe, and switch the chart to it.
 */
import { test, expect, type Page } from '@playwright/test';
import { watchConsole } from './helpers.js';
import { screen } from './layout.js';
import { DAY, startStack, type Stack } from './stack.js';

let stack: Stack;

test.beforeAll(async () => {
  stack = await startStack({ seed: 11 });
});

test.afterAll(async () => {
  await stack?.close();
});

const dateInput = (ts: number): string => {
  const d = new Date(ts);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

async function pickSymbol(page: Page, search: string, symbol: string): Promise<void> {
  await page.getByTestId('symbol-input').fill(search);
  await page.getByRole('option', { name: new RegExp(`^${symbol}`) }).click();
  await expect(page.getByTestId('symbol-input')).toHaveValue(symbol);
}

async function drawnView(page: Page): Promise<{ view: string; drawn: string }> {
  return page.getByTestId('candle-chart').evaluate((el: HTMLElement) => ({
    view: `${el.dataset.viewFrom}-${el.dataset.viewTo}`,
    drawn: `${el.dataset.drawnFrom}-${el.dataset.drawnTo}`,
  }));
}

function viewRange(v: { view: string }): { from: number; to: number } {
  const [from, to] = v.view.split('-').map(Number);
  return { from: from!, to: to! };
}

test('add a series, watch it backfill and fill its gap map, chart it at two timeframes', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const errors = watchConsole(page);
  await page.goto(stack.serverUrl);

  // An empty dashboard tells a new user what to do first.
  const empty = page.getByTestId('empty-series');
  await expect(empty).toContainText('Nothing collected yet');
  await expect(empty).toContainText('Pick a source, a symbol and a timeframe');
  await screen(page, testInfo.outputPath('1-empty-overview.png'));

  // Add BTCUSDT 1m, keeping 45 days: about 65 requests of history.
  await expect(page.getByTestId('source-select')).toHaveValue('binance');
  await pickSymbol(page, 'BTC', 'BTCUSDT');
  await page.getByTestId('timeframe-select').selectOption('1m');
  await page.getByTestId('keep-from').fill(dateInput(Date.now() - 45 * DAY));
  await page.getByTestId('add-series').click();

  // The series page shows the history job's progress, then its completion.
  await expect(page).toHaveURL(/#\/series\/\d+$/);
  const history = page.locator('[data-testid="job-row"][data-kind="backfill"]');
  await expect(history).toBeVisible();
  await screen(page, testInfo.outputPath('2-backfilling.png'));
  await expect(history).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(history.getByTestId('job-progress')).toContainText('100%');

  // The gap map filled in: nothing left unfetched, (nearly) everything stored.
  const strip = page.getByTestId('gap-strip');
  await expect(strip).toHaveAttribute('data-unknown', '0', { timeout: 15_000 });
  const counts = await strip.evaluate((el: HTMLElement) => ({
    expected: Number(el.dataset.expected),
    stored: Number(el.dataset.stored),
  }));
  expect(counts.expected).toBeGreaterThan(60_000);
  expect(counts.stored / counts.expected).toBeGreaterThan(0.99);
  await expect(page.getByTestId('gap-summary')).toContainText('0 not fetched');
  // Hovering the strip explains a bucket: its range and what it holds.
  const box = (await strip.locator('canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
  await expect(page.getByTestId('gap-tooltip')).toContainText('stored');
  await screen(page, testInfo.outputPath('3-gap-map-filled.png'));

  // The overview now lists it as healthy, with the binance tile quiet.
  await page.getByRole('link', { name: /^Overview/ }).click();
  const row = page.getByTestId('series-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('BTCUSDT');
  await expect(row.getByTestId('series-condition')).toHaveText(/ok|open holes/);
  await expect(page.getByTestId('source-tile').filter({ hasText: 'binance' }).getByTestId('source-status')).toHaveText(
    'ok',
  );
  await screen(page, testInfo.outputPath('4-overview.png'));

  // The chart: server-aggregated candles, never more than the plot has pixels.
  await row.getByRole('link', { name: 'Chart' }).click();
  const chart = page.getByTestId('candle-chart');
  await expect(chart).toHaveAttribute('data-buckets', /\d+/);
  await expect.poll(async () => (await drawnView(page)).drawn).toBe((await drawnView(page)).view);
  const drawn = Number(await chart.getAttribute('data-buckets'));
  const width = (await chart.boundingBox())!.width;
  expect(drawn).toBeGreaterThan(50);
  expect(drawn).toBeLessThanOrEqual(width / 3);
  // Crosshair values.
  const surface = (await chart.locator('.chart-surface').boundingBox())!;
  await page.mouse.move(surface.x + surface.width * 0.6, surface.y + surface.height * 0.4);
  await expect(page.getByTestId('chart-readout')).toContainText(/O [\d,.]+.*H [\d,.]+.*L [\d,.]+.*C [\d,.]+/);
  // Zoom out with the wheel: a wider range is fetched and drawn, aggregated further.
  const before = await drawnView(page);
  await page.mouse.wheel(0, 600);
  await expect.poll(async () => (await drawnView(page)).view).not.toBe(before.view);
  await expect
    .poll(async () => {
      const v = await drawnView(page);
      return v.drawn === v.view;
    })
    .toBe(true);
  await expect(page.getByTestId('chart-note')).toContainText('Each bar aggregates');
  const zoomed = await drawnView(page);
  await screen(page, testInfo.outputPath('5-chart.png'));

  // Backfill: plan first (requests, weight, time), then start; the 1h series appears.
  await page.getByRole('link', { name: /^Backfill/ }).click();
  await pickSymbol(page, 'BTCU', 'BTCUSDT');
  await page.getByTestId('timeframe-select').selectOption('1h');
  await page.getByRole('button', { name: 'last 30 days' }).click();
  await expect(page.getByTestId('plan-requests')).toHaveText('1');
  await expect(page.getByTestId('backfill-plan')).toContainText('Estimated time');
  await screen(page, testInfo.outputPath('6-backfill-plan.png'));
  await page.getByTestId('start-backfill').click();
  const manual = page.locator('[data-testid="job-row"][data-kind="manual"]');
  await expect(manual.first()).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(manual.first()).toContainText('BTCUSDT 1h');

  // Back on the chart, where it was left; a timeframe button per series of the instrument, and
  // switching keeps the range.
  await page.goBack();
  await expect(page).toHaveURL(/#\/chart\/\d+/);
  expect(await drawnView(page)).toMatchObject({ view: zoomed.view });
  const buttons = page.getByTestId('timeframe-button');
  await expect(buttons).toHaveText(['1m', '1h']);
  await page.getByRole('button', { name: '1W', exact: true }).click();
  const week = viewRange(await drawnView(page));
  await buttons.filter({ hasText: '1h' }).click();
  await expect(buttons.filter({ hasText: '1h' })).toHaveAttribute('aria-pressed', 'true');
  // The same week on the 1h chart: the 1m chart follows its live edge, so between reading its range
  // and the click it may have moved on by a candle or two, never more.
  await expect
    .poll(async () => {
      const after = viewRange(await drawnView(page));
      return Math.max(Math.abs(after.from - week.from), Math.abs(after.to - week.to));
    })
    .toBeLessThanOrEqual(2 * 60_000);
  await expect(page.getByTestId('chart-note')).toBeVisible();
  expect(errors).toEqual([]);
});
