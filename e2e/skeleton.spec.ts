import { test, expect } from '@playwright/test';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { runCli, startCli, stop, tempDir, watchConsole } from './helpers.js';

let sim: ChildProcess | undefined;
let server: ChildProcess | undefined;
let serverUrl = '';
let stored = 0;

test.beforeAll(async () => {
  const started = await startCli(['sim', '--port', '0', '--seed', '3']);
  sim = started.child;
  const db = path.join(tempDir(), 'e2e.db');
  const env = { CANDLEKEEP_BINANCE_URL: `${started.url}/binance` };
  const backfill = await runCli(
    [
      'backfill',
      '--source',
      'binance',
      '--symbol',
      'BTCUSDT',
      '--timeframe',
      '1m',
      '--from',
      '2024-01-01T00:00:00Z',
      '--to',
      '2024-01-03T00:00:00Z',
      '--db',
      db,
      '--json',
    ],
    env,
  );
  expect(backfill.code, backfill.stderr).toBe(0);
  stored = (JSON.parse(backfill.stdout) as { candlesStored: number }).candlesStored;
  const serve = await startCli(['serve', '--port', '0', '--db', db]);
  server = serve.child;
  serverUrl = serve.url;
});

test.afterAll(async () => {
  await stop(server);
  await stop(sim);
});

test('serve shows the backfilled series and draws its candle chart', async ({ page }, testInfo) => {
  const errors = watchConsole(page);
  await page.goto(serverUrl);
  const row = page.getByTestId('series-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('BTCUSDT');
  await expect(row).toContainText(stored.toLocaleString('en-US'));
  await row.getByRole('link', { name: 'Chart' }).click();
  const chart = page.getByTestId('candle-chart');
  await expect(chart).toHaveAttribute('data-buckets', /\d+/);
  const candles = Number(await chart.getAttribute('data-buckets'));
  // The chart asked for at most one bucket per 3 px of its width, never all 2,880 candles.
  const width = (await chart.boundingBox())!.width;
  expect(candles).toBeGreaterThan(50);
  expect(candles).toBeLessThanOrEqual(Math.floor(width / 3));
  await page.screenshot({ path: testInfo.outputPath('dashboard.png'), fullPage: true });
  expect(errors).toEqual([]);
});
