/**
 * Data quality in the dashboard: a backfill meets a candle the source sent broken; the
 * Quality page lists every series by trouble, and the series' report shows the rejected candle with
 * its reason and the raw row, a revision with both versions, a flagged price spike that opens the
 * chart there, the timeframe check, and what to do to compare sources. A second broken candle, met
 * while the page is open, shows up without a reload (pushed events, no polling).
 */
import { test, expect, type Page } from '@playwright/test';
import { watchConsole } from './helpers.js';
import { screen } from './layout.js';
import { DAY, MINUTE, minuteNow, recordRevision, simControl, startStack, type Stack } from './stack.js';

let stack: Stack;
const now = minuteNow();
const from = now - 2 * DAY;
/** Off the hour, so only the 1m answer holds it. */
const broken = from + 7 * 60 * MINUTE + 17 * MINUTE;
const spike = from + 30 * 60 * MINUTE + 41 * MINUTE;
const revised = from + 20 * 60 * MINUTE + 5 * MINUTE;
/** Before the kept history: a backfill there fetches it (a stored range would not be fetched again). */
const brokenLater = from - 23 * MINUTE;
const KLINES = '/binance/api/v3/klines';

/** The candle at `ts` as the simulated venue publishes it (prices as decimal strings). */
async function venueCandle(simUrl: string, ts: number): Promise<{ high: number; close: number }> {
  const res = await fetch(`${simUrl}${KLINES}?symbol=BTCUSDT&interval=1m&startTime=${ts}&limit=1`);
  const [row] = (await res.json()) as string[][];
  return { high: Number(row![2]), close: Number(row![4]) };
}

test.beforeAll(async () => {
  stack = await startStack({
    seed: 13,
    beforeBackfill: async (simUrl) => {
      // One candle the venue sends broken, once: its high below its close.
      await simControl(simUrl, 'faults', {
        rules: [{ kind: 'invalid_candle', invalid: 'high_below_max', route: KLINES, openTime: broken, count: 1 }],
      });
      // A price spike, published from the start: a 4% close in a quiet 1m series is an outlier.
      const c = await venueCandle(simUrl, spike);
      const close = Number((c.close * 1.04).toFixed(2));
      await simControl(simUrl, 'revise', {
        symbol: 'BTCUSDT',
        openTime: spike,
        at: 0,
        close,
        high: Math.max(c.high, close),
      });
    },
    backfill: [
      { symbol: 'BTCUSDT', timeframe: '1m', from, to: now },
      { symbol: 'BTCUSDT', timeframe: '1h', from, to: now },
      { symbol: 'ETHUSDT', timeframe: '5m', from, to: now },
    ],
    // The venue had first sent this candle with a lower close and less volume.
    prepare: (db) =>
      recordRevision(db, 'BTCUSDT', '1m', revised, (c) => ({
        close: Number((c.close - 12.5).toFixed(2)),
        volume: Number((c.volume * 0.8).toFixed(5)),
      })),
  });
});

test.afterAll(async () => {
  await stack?.close();
});

/** Start a backfill through the same WebSocket API the dashboard uses (as another front would). */
async function startBackfill(page: Page, range: { from: number; to: number }): Promise<void> {
  await page.evaluate(
    ({ from, to }) =>
      new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(`ws://${location.host}/ws`);
        ws.onopen = () =>
          ws.send(
            JSON.stringify({
              id: 1,
              channel: 'backfill:start',
              args: { source: 'binance', symbol: 'BTCUSDT', timeframe: '1m', from, to },
            }),
          );
        ws.onmessage = (e) => {
          const msg = JSON.parse(String(e.data)) as { id?: number; error?: { message: string } };
          if (msg.id !== 1) return;
          ws.close();
          if (msg.error) reject(new Error(msg.error.message));
          else resolve();
        };
      }),
    range,
  );
}

/** How the checks' messages name a minute ('2026-11-26T14:41Z'). */
const isoMinute = (ts: number): string => new Date(ts).toISOString().replace(':00.000Z', 'Z');

const RANK = ['disagrees', 'holes', 'rejected', 'revised', 'flagged', 'ok', 'empty'];

test('the quality report shows a rejected candle with its reason and raw row, revisions, flags and checks', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  const errors = watchConsole(page);
  await page.goto(stack.serverUrl);
  await expect(page.getByTestId('overview-page')).toBeVisible();

  // The Quality page (key 6) lists every series, the one needing a look first.
  await page.keyboard.press('6');
  await expect(page.getByTestId('quality-page')).toBeVisible();
  const rows = page.getByTestId('quality-row');
  await expect(rows).toHaveCount(3);
  await expect(page.getByTestId('quality-summary')).toContainText('3 series');
  const conditions = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-condition') ?? ''));
  expect(conditions.map((c) => RANK.indexOf(c))).toEqual(
    [...conditions.map((c) => RANK.indexOf(c))].sort((a, b) => a - b),
  );
  const btc = rows.filter({ hasText: 'BTCUSDT' }).filter({ hasText: '1m' });
  await expect(btc.getByTestId('quality-row-rejected')).toHaveText('1');
  await expect(btc.getByTestId('quality-condition')).not.toHaveText('ok');
  // No asset is mapped across sources: the page says how to map one.
  await expect(page.getByTestId('quality-hints')).toContainText(
    'candlekeep assets set BTC binance:BTCUSDT coingecko:bitcoin/usd yahoo:BTC-USD',
  );
  await screen(page, testInfo.outputPath('1-quality-page.png'));

  // A row opens the series' page at its report.
  await btc.click();
  await expect(page).toHaveURL(/#\/series\/\d+\?section=quality$/);
  const seriesId = Number(/#\/series\/(\d+)/.exec(page.url())![1]);
  const section = page.getByTestId('quality-section');
  await expect(section).toBeInViewport();

  // The broken candle: its reason, what was wrong, and the row exactly as the venue sent it.
  const reason = section.locator('[data-testid="rejected-reason"][data-reason="high_below_max"]');
  await expect(reason).toContainText('the high is below the open or the close');
  await expect(reason).toContainText('1 candle');
  const example = reason.getByTestId('rejected-example');
  await expect(example).toContainText(/high [\d.]+ < max\(open/);
  await expect(example.locator('pre')).toHaveText(new RegExp(`^\\[${broken},"[\\d.]+","[\\d.]+"`));

  // The revision: both versions, the changed values marked.
  const revision = section.getByTestId('revision');
  await expect(revision).toHaveCount(1);
  await expect(revision.locator('td[data-changed]')).toHaveCount(4);
  await expect(revision).toContainText('Before');
  await expect(revision).toContainText('After (stored)');

  // The spike is flagged twice (up, then back down), each with its time; the 1h series adds up to
  // the 1m one; sources are not compared until an asset is mapped, and the section says how.
  const flags = section.locator('[data-testid="quality-flag"][data-kind="return_outlier"]');
  await expect(flags.filter({ hasText: isoMinute(spike) })).toHaveCount(1);
  await expect(flags.filter({ hasText: isoMinute(spike + MINUTE) })).toHaveCount(1);
  await expect(section.getByTestId('timeframe-pair')).toContainText(
    /1h candles against the aggregate of these 1m candles: [\d,]+ compared, 0 mismatches/,
  );
  await expect(section.getByTestId('sources-not-mapped')).toContainText(
    'candlekeep assets set BTC binance:BTCUSDT coingecko:bitcoin/usd yahoo:BTC-USD',
  );
  await expect(section.getByTestId('sources-not-mapped')).toContainText('binance:BTCUSDT');
  await screen(page, testInfo.outputPath('2-series-quality.png'));

  // Another broken candle arrives while the page is open, in an hour of history fetched now: the
  // report refreshes on the pushed events (the rejection, the job's end) without a reload.
  await simControl(stack.simUrl, 'faults', {
    rules: [{ kind: 'invalid_candle', invalid: 'negative_volume', route: KLINES, openTime: brokenLater, count: 1 }],
  });
  await startBackfill(page, { from: from - 60 * MINUTE, to: from });
  const later = section.locator('[data-testid="rejected-reason"][data-reason="negative_volume"]');
  await expect(later).toContainText('the volume is negative', { timeout: 30_000 });
  await expect(later.locator('pre')).toHaveText(new RegExp(`^\\[${brokenLater},`));
  await section.getByTestId('quality-rejected').scrollIntoViewIfNeeded();
  await screen(page, testInfo.outputPath('3-rejected-live.png'));

  // A flag's time opens the chart around those candles.
  await flags
    .filter({ hasText: isoMinute(spike) })
    .getByRole('link')
    .click();
  await expect(page).toHaveURL(new RegExp(`#/chart/${seriesId}\\?from=\\d+&to=\\d+$`));
  const [viewFrom, viewTo] = /from=(\d+)&to=(\d+)/.exec(page.url())!.slice(1).map(Number) as [number, number];
  expect(viewFrom).toBeLessThan(spike);
  expect(viewTo).toBeGreaterThan(spike);
  await expect(page.getByTestId('candle-chart')).toHaveAttribute('data-buckets', /\d+/);
  expect(errors).toEqual([]);
});

test.describe('with nothing collected yet', () => {
  let empty: Stack;
  test.beforeAll(async () => {
    empty = await startStack({ seed: 14 });
  });
  test.afterAll(async () => {
    await empty?.close();
  });

  test('the Quality page says what to do first', async ({ page }, testInfo) => {
    const errors = watchConsole(page);
    await page.goto(`${empty.serverUrl}/#/quality`);
    const state = page.getByTestId('quality-empty');
    await expect(state).toContainText('No series to check yet');
    await state.getByRole('link', { name: 'Add a series' }).click();
    await expect(page.getByTestId('empty-series')).toBeVisible();
    await page.goBack();
    await expect(state).toBeVisible();
    await screen(page, testInfo.outputPath('quality-empty.png'));
    expect(errors).toEqual([]);
  });
});
