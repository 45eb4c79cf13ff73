/**
 * Health over time, as a user sees it: a source that fails for a moment leaves a red minute on its
 * tile's heartbeat bar and pulls the API-success SLO below target; the tile opens the source's page
 * (recharts with legends, a table view); a hole punched and repaired shows on the series' history.
 * Every new view is screenshotted in light and dark.
 */
import fs from 'node:fs';
import path from 'node:path';
import { test, expect, type Page, type TestInfo } from '@playwright/test';
import { watchConsole } from './helpers.js';
import { screen } from './layout.js';
import { DAY, MINUTE, minuteNow, punchOpenHole, simControl, startStack, type Stack } from './stack.js';

let stack: Stack;
const now = minuteNow();
const hole = { from: now - 90 * MINUTE, to: now - 80 * MINUTE };

test.beforeAll(async () => {
  stack = await startStack({
    seed: 9,
    backfill: { symbol: 'BTCUSDT', timeframe: '1m', from: now - 3 * 60 * MINUTE, to: now },
    // Due at once: the engine repairs it, and the series' history shows one hole opened and repaired.
    prepare: (db) => expect(punchOpenHole(db, 'BTCUSDT', hole.from, hole.to, Date.now())).toBe(10),
  });
});

test.afterAll(async () => {
  await stack?.close();
});

/** Light and dark shots of the screen as it is; also into the README's folder when asked to. */
async function shots(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
    const file = testInfo.outputPath(`${name}-${scheme}.png`);
    await screen(page, file);
    if (process.env.CANDLEKEEP_README_SCREENSHOTS)
      fs.copyFileSync(file, path.join('build', 'screenshots', `${name}${scheme === 'dark' ? '-dark' : ''}.png`));
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('a failed minute turns red on the heartbeat, the SLO says so, and the source and series pages chart it', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  const errors = watchConsole(page);
  await page.goto(stack.serverUrl);
  const tile = page.getByTestId('source-tile').filter({ hasText: 'binance' });
  const beats = tile.getByTestId('heartbeat-bucket');
  await expect(beats).toHaveCount(60, { timeout: 30_000 });

  // Every klines request fails while a backfill asks for many: this minute's requests fail.
  await simControl(stack.simUrl, 'faults', {
    rules: [{ kind: 'server_error', probability: 1, route: '/binance/api/v3/klines' }],
  });
  const started = await page.evaluate(
    async (range) => {
      const res = await fetch('/api/backfill:start', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ source: 'binance', symbol: 'ETHUSDT', timeframe: '1m', ...range }),
      });
      return res.status;
    },
    { from: now - 2 * DAY, to: now - DAY },
  );
  expect(started).toBe(200);
  const red = tile.locator('[data-testid="heartbeat-bucket"][data-tone="bad"]');
  await expect(red.first()).toBeVisible({ timeout: 60_000 });
  await expect(red.first()).toHaveAttribute('title', /\d+ requests?, \d+(\.\d)?% ok/);
  await simControl(stack.simUrl, 'faults', { clear: true });

  // The minute's failures pull API success over 24 h below its 99% target: red, and said in words.
  const api24 = page.getByTestId('slo-apiSuccess-24h');
  await expect(api24).toHaveAttribute('data-tone', 'bad', { timeout: 30_000 });
  await expect(api24).toContainText('misses its target');
  await expect(page.getByTestId('slo-responseMs-24h')).toHaveAttribute('data-tone', 'ok');
  await expect(tile.getByTestId('latency-sparkline').locator('svg .recharts-line')).toHaveCount(1);
  await shots(page, testInfo, 'overview-history');

  // The tile opens the source's page.
  await tile.click();
  await expect(page).toHaveURL(/#\/source\/binance$/);
  const source = page.getByTestId('source-page');
  await expect(source.getByRole('heading', { name: 'binance' })).toBeVisible();
  await expect(page.getByTestId('source-totals')).toContainText(/\d+ requests · \d+(\.\d+)?% ok/);
  // Binance's tails stream: the page says how the stream is doing.
  await expect(page.getByTestId('source-page-stream')).toContainText(
    /Live stream: \w+ · \d+ streams · .* msg\/s · \d+ reconnects since start/,
    { timeout: 30_000 },
  );
  const errorsChart = page.getByTestId('chart-errors');
  await expect(errorsChart.locator('.recharts-legend-item-text')).toContainText([
    '418 banned',
    '429 rate limited',
    '5xx',
  ]);
  await expect(page.getByTestId('chart-latency').locator('.recharts-legend-item-text')).toHaveText(['p50', 'p95']);
  // The table view: the failed requests are there as numbers, for a screen reader or anyone.
  await errorsChart.getByRole('button', { name: 'Table' }).click();
  const table = page.getByTestId('chart-errors-table');
  await expect(table).toBeVisible();
  await expect(table.locator('thead th').nth(3)).toHaveText('5xx');
  expect(Number(await table.locator('tbody tr').first().locator('td').nth(3).textContent())).toBeGreaterThan(0);
  await errorsChart.getByRole('button', { name: 'Chart' }).click();
  await expect(page.getByTestId('chart-budget').locator('.recharts-reference-line')).toHaveCount(1);
  await shots(page, testInfo, 'source-history');
  await page.getByRole('button', { name: '24h' }).click();
  await expect(page.getByRole('button', { name: '24h' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('chart-success-table').locator('tbody tr')).not.toHaveCount(0);

  // The series' history: the punched hole, opened and repaired today.
  await page.goto(`${stack.serverUrl}/#/`);
  await page.getByTestId('series-row').filter({ hasText: 'BTCUSDT' }).click();
  const history = page.getByTestId('series-history');
  await history.scrollIntoViewIfNeeded();
  const holes = page.getByTestId('chart-holes-table').locator('tbody tr').last().locator('td');
  await expect(holes.nth(1)).toHaveText('1', { timeout: 60_000 });
  await expect(holes.nth(2)).toHaveText('1', { timeout: 60_000 });
  await expect(page.getByTestId('chart-completeness-table').locator('tbody tr')).not.toHaveCount(0);
  await history.getByRole('button', { name: '7d' }).click();
  await shots(page, testInfo, 'series-history');
  expect(errors).toEqual([]);
});
