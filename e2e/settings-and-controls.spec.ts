/**
 * The event log, live; settings a user changes (an alert rule; a key that is write-only); controls
 * that stop and restart fetching (engine, series); keyboard navigation and the dark theme. In a
 * browser, the desktop-only controls (start at login, notifications) are absent.
 */
import { test, expect } from '@playwright/test';
import { watchConsole } from './helpers.js';
import { screen } from './layout.js';
import { DAY, MINUTE, minuteNow, punchOpenHole, startStack, type Stack } from './stack.js';

let stack: Stack;
const now = minuteNow();
const SECRET = 'cg-demo-key-7f3a9c21e5';

const hole = { from: now - 2 * DAY, to: now - 2 * DAY + 60 * MINUTE };

test.beforeAll(async () => {
  stack = await startStack({
    seed: 3,
    backfill: { symbol: 'ETHUSDT', timeframe: '5m', from: now - 5 * DAY, to: now },
    // A hole whose repair falls due a few seconds after start: its repair is an event seen arriving.
    prepare: (db) => punchOpenHole(db, 'ETHUSDT', hole.from, hole.to, Date.now() + 8_000),
  });
});

test('the event log shows a repair as it happens, and filters by kind', async ({ page }, testInfo) => {
  const errors = watchConsole(page);
  await page.goto(stack.serverUrl);
  await expect(page.getByTestId('overview-page')).toBeVisible();
  await page.keyboard.press('5');
  await expect(page.getByTestId('events-page')).toBeVisible();
  await expect(page.getByTestId('no-alerts')).toBeVisible();
  // Pushed ('event:recorded'), not re-fetched: the page was open before the repair ran.
  const repair = page.getByTestId('event-row').filter({ hasText: /hole in ETHUSDT 5m at .* filled/ });
  await expect(repair).toHaveCount(1, { timeout: 30_000 });
  await page.getByRole('group', { name: 'Kinds' }).getByRole('button', { name: 'repairs' }).click();
  await expect(repair).toHaveCount(1);
  expect(
    await page
      .getByTestId('event-row')
      .evaluateAll((rows) => rows.every((r) => r.getAttribute('data-kind') === 'repair')),
  ).toBe(true);
  await page.getByRole('group', { name: 'Kinds' }).getByRole('button', { name: 'bans' }).click();
  await page.getByRole('group', { name: 'Kinds' }).getByRole('button', { name: 'repairs' }).click();
  await expect(page.getByText('No event matches these filters.')).toBeVisible();
  await page.getByRole('group', { name: 'Kinds' }).getByRole('button', { name: 'bans' }).click();
  await expect(repair).toHaveCount(1);
  await screen(page, testInfo.outputPath('events.png'));
  expect(errors).toEqual([]);
});

test.afterAll(async () => {
  await stack?.close();
});

test('settings: an alert rule is saved, a bad webhook is refused with its reason, a key is never shown back', async ({
  page,
}, testInfo) => {
  const errors = watchConsole(page);
  await page.goto(stack.serverUrl);
  await expect(page.getByTestId('overview-page')).toBeVisible();
  await page.keyboard.press('7');
  await expect(page.getByTestId('settings-page')).toBeVisible();
  // A browser against `serve` has no tray or login item: those controls are not offered.
  await expect(page.getByTestId('settings-alerts')).toBeVisible();
  await expect(page.getByTestId('settings-desktop')).toHaveCount(0);
  await expect(page.getByText('Start Candlekeep at login')).toHaveCount(0);
  await expect(page.getByTestId('data-size')).toHaveText(/\d+(\.\d)? (KB|MB)/);

  // An alert rule: saved, and still there after a reload.
  const alerts = page.getByTestId('settings-alerts');
  await alerts.getByLabel('Threshold for A series falls behind').fill('7');
  await alerts.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('settings-alerts').getByText('Saved')).toBeVisible();
  // A webhook that is not http(s) is refused; the engine's reason is shown.
  await page
    .getByTestId('settings-alerts')
    .getByLabel(/Webhook URL/)
    .fill('ftp://hooks.example.com/x');
  await page.getByTestId('settings-alerts').getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('settings-alerts').getByRole('alert')).toContainText('http(s)');
  await page.reload();
  await expect(page.getByTestId('settings-alerts').getByLabel('Threshold for A series falls behind')).toHaveValue('7');

  // An API key: set, reported as set, and its value never comes back, not even after a reload.
  const key = page.getByTestId('key-row').filter({ hasText: 'coingecko.apiKey' });
  await expect(key.getByTestId('key-state')).toHaveText('not set');
  await key.getByLabel('New value for coingecko.apiKey').fill(SECRET);
  await key.getByRole('button', { name: 'Save key' }).click();
  await expect(key.getByTestId('key-state')).toContainText('set');
  await expect(key.getByLabel('New value for coingecko.apiKey')).toHaveValue('');
  await page.reload();
  await expect(key.getByTestId('key-state')).toContainText(/^set/);
  expect(await page.content()).not.toContain(SECRET);
  expect(
    await page.locator('input').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value)),
  ).not.toContain(SECRET);
  await screen(page, testInfo.outputPath('settings.png'));
  expect(errors).toEqual([]);
});

test('keyboard, theme, and pausing the engine and a series', async ({ page }, testInfo) => {
  const errors = watchConsole(page);
  await page.goto(stack.serverUrl);
  const row = page.getByTestId('series-row');
  await expect(row).toHaveCount(1);

  // Pages by number keys; a row opens with Enter.
  await page.keyboard.press('2');
  await expect(page.getByTestId('series-page')).toBeVisible();
  await page.keyboard.press('1');
  await row.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('series-detail')).toBeVisible();
  // '?' lists the keys.
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // The gap map by keyboard: arrows move a cursor bucket and show it, Enter zooms in.
  const strip = page.getByTestId('gap-strip');
  // Once the map is drawn, as a user would see it before reaching for the keys: arrows move over
  // buckets, and there are none before the map has loaded.
  await expect(strip).not.toHaveAttribute('data-expected', '0');
  await strip.locator('.strip-canvas').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('gap-tooltip')).toBeVisible();
  const wide = await strip.getAttribute('data-view-from');
  await page.keyboard.press('Enter');
  await expect(strip).not.toHaveAttribute('data-view-from', wide!);
  await expect(page.getByRole('button', { name: 'Whole history' })).toBeVisible();

  // Pause the series: its state says so on the overview; resume it.
  await page.getByTestId('series-detail').getByRole('button', { name: 'Pause' }).click();
  await page.keyboard.press('1');
  await expect(row.getByTestId('series-condition')).toHaveText('paused');
  await row.getByRole('button', { name: 'Resume' }).click();
  await expect(row.getByTestId('series-condition')).not.toHaveText('paused');

  // Pause the whole engine, then resume it.
  await page.getByTestId('engine-toggle').click();
  await expect(page.getByTestId('engine-state')).toHaveText('Engine paused');
  await expect(page.getByTestId('engine-toggle')).toHaveText('Resume');
  await page.getByTestId('engine-toggle').click();
  await expect(page.getByTestId('engine-state')).toHaveText('Engine running');

  // Dark theme, kept across a reload.
  await page.getByTestId('theme-toggle').click();
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).toBe('rgb(19, 21, 24)');
  await expect(row).toHaveCount(1);
  await screen(page, testInfo.outputPath('overview-dark.png'));
  expect(errors).toEqual([]);
});

test('a long backfill is paused, resumed, cancelled and retried from the queue; its series is removed', async ({
  page,
}, testInfo) => {
  const errors = watchConsole(page);
  await page.goto(`${stack.serverUrl}/#/backfill`);
  await page.getByTestId('symbol-input').fill('DOGEUSDT');
  await page.getByTestId('symbol-input').press('Escape');
  await page.getByTestId('timeframe-select').selectOption('1m');
  await page.getByRole('button', { name: 'last year' }).click();
  await expect(page.getByTestId('plan-requests')).toHaveText('526');
  await page.getByTestId('start-backfill').click();

  const job = page.getByTestId('active-jobs').locator('[data-testid="job-row"][data-kind="manual"]');
  await expect(job).toHaveAttribute('data-state', /queued|running/);
  await job.getByRole('button', { name: 'Pause' }).click();
  await expect(job).toHaveAttribute('data-state', 'paused');
  await expect(job.getByRole('button', { name: 'Resume' })).toBeVisible();
  await screen(page, testInfo.outputPath('queue-paused.png'));
  // Resumed, it waits its turn: the new series' own history job comes before manual backfills.
  await job.getByRole('button', { name: 'Resume' }).click();
  await expect(job).toHaveAttribute('data-state', /queued|running/);
  await job.getByRole('button', { name: 'Cancel' }).click();

  const cancelled = page
    .getByTestId('finished-jobs')
    .locator('[data-testid="job-row"][data-kind="manual"][data-state="cancelled"]');
  await expect(cancelled).toHaveCount(1);
  await cancelled.getByRole('button', { name: 'Retry' }).click();
  // The retry is a new job beside the cancelled one. It runs, or, when the series' own history job
  // has meanwhile stored the whole year (a slow machine), it has nothing left to fetch and is done.
  const retried = page.locator('[data-testid="job-row"][data-kind="manual"]:not([data-state="cancelled"])');
  await expect(retried).toHaveCount(1);
  await expect(retried).toHaveAttribute('data-state', /queued|running|done/);
  await expect(cancelled).toHaveCount(1);

  // Remove the series (after confirming): it leaves the overview with its candles.
  // Through the retried job's own row: rows of the series' other jobs (repairs, second looks) come
  // and go while it backfills, so "the first DOGEUSDT link" would keep changing under the click.
  await retried.getByRole('link', { name: 'DOGEUSDT 1m' }).click();
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('series-detail').getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByTestId('overview-page')).toBeVisible();
  await expect(page.getByTestId('series-row').filter({ hasText: 'DOGEUSDT' })).toHaveCount(0);
  await expect(page.getByTestId('series-row').filter({ hasText: 'ETHUSDT' })).toHaveCount(1);
  expect(errors).toEqual([]);
});
