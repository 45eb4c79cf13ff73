/**
 * Changes made with the CLI, in another process, show on a dashboard that is already open, without
 * a reload: a series added appears and is collected by serve's engine, a pause shows as paused, new
 * settings show on the Settings page, a removal takes the row away.
 */
import { test, expect } from '@playwright/test';
import { runCli, watchConsole } from './helpers.js';
import { MINUTE, minuteNow, startStack, type Stack } from './stack.js';

let stack: Stack;

test.beforeAll(async () => {
  stack = await startStack({ seed: 17 });
});

test.afterAll(async () => {
  await stack?.close();
});

async function cli(...args: string[]): Promise<void> {
  const done = await runCli([...args, '--db', stack.db], stack.env);
  expect(done.code, done.stderr).toBe(0);
}

const ETH = ['--source', 'binance', '--symbol', 'ETHUSDT', '--timeframe', '1m'];

test('series and settings changed by the CLI show on the open dashboard', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto(stack.serverUrl);
  await expect(page.getByTestId('empty-series')).toBeVisible();

  await cli('series', 'add', ...ETH, '--from', new Date(minuteNow() - 60 * MINUTE).toISOString());
  const row = page.getByTestId('series-row').filter({ hasText: 'ETHUSDT' });
  await expect(row).toBeVisible({ timeout: 15_000 });
  // Collected by serve's own engine, which heard of it through the change log.
  await expect(row).toHaveAttribute('data-condition', 'ok', { timeout: 30_000 });
  await expect(row.getByTestId('series-completeness')).toHaveText('100.0%');

  await cli('series', 'pause', ...ETH);
  await expect(row).toHaveAttribute('data-condition', 'paused', { timeout: 15_000 });

  await cli('settings', 'set', 'sweepCron', '5 * * * *');
  // Hash navigation, no reload: the page shows what the pushed change said.
  await page.evaluate(() => (location.hash = '#/settings'));
  await expect(page.getByTestId('settings-defaults').getByLabel('Full gap sweep (cron, UTC)')).toHaveValue(
    '5 * * * *',
    { timeout: 15_000 },
  );

  await page.evaluate(() => (location.hash = '#/'));
  await expect(row).toBeVisible();
  await cli('series', 'remove', ...ETH);
  await expect(row).toHaveCount(0, { timeout: 15_000 });
  await expect(page.getByTestId('empty-series')).toBeVisible();
  expect(errors).toEqual([]);
});
