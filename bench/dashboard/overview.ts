/**
 * The overview: navigation start until every series row and a source tile are on screen (goal < 1 s),
 * and 'series:list', its snapshot, on the server alone, since its cost grows with the candle count.
 */
import type { Page } from '@playwright/test';
import { timedApiCall } from './api-call.js';
import { limit, median, worst, type TimedClaim } from './claims.js';

interface OverviewLoad {
  /** Navigation start until every series row and a source tile are on screen. */
  total: number;
  /** …until the WebSocket to the engine was open (page load, script, connect). */
  connected: number;
  /** …until the 'series:list' answer arrived. */
  seriesList: number;
}

async function overviewLoad(page: Page, url: string, rows: number): Promise<OverviewLoad> {
  // From another page: a hash-only navigation to the same document would not load anything.
  await page.goto('about:blank');
  await page.goto(`${url}/#/`);
  await page.waitForFunction(
    (n) =>
      document.querySelectorAll('[data-testid="series-row"]').length === n &&
      document.querySelector('[data-testid="source-tile"]') !== null,
    rows,
    { timeout: 30_000, polling: 'raf' },
  );
  const load = await page.evaluate(() => {
    const mark = (name: string): number => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
    return {
      total: performance.now(),
      connected: mark('candlekeep:connected'),
      seriesList: mark('candlekeep:series-list'),
    };
  });
  // Let the page finish its remaining snapshots (the engine status), so the next load starts on an
  // engine that is not still answering this one.
  await page.getByTestId('engine-state').waitFor({ timeout: 30_000 });
  return load;
}

/** `data` says what the database holds, for the row's note. */
export async function benchOverview(page: Page, url: string, seriesCount: number, data: string): Promise<TimedClaim[]> {
  await overviewLoad(page, url, seriesCount); // warm: assets cached, as for a returning user
  const loads: OverviewLoad[] = [];
  for (let i = 0; i < 5; i++) loads.push(await overviewLoad(page, url, seriesCount));
  const overview = loads.map((l) => l.total);
  const waited = median(loads.map((l) => l.seriesList - l.connected));
  const seriesList: number[] = [];
  for (let i = 0; i < 3; i++) seriesList.push(await timedApiCall(url, 'series:list'));
  return [
    {
      name: 'overview on screen after navigation',
      ms: median(overview),
      against: limit(1_000),
      note: `${data}; median of 5, slowest ${Math.round(worst(overview))} ms; connected at ${Math.round(median(loads.map((l) => l.connected)))} ms, then ${Math.round(waited)} ms waiting for 'series:list'`,
    },
    {
      name: "'series:list' on the server (the overview's snapshot)",
      ms: median(seriesList),
      against: limit(1_000),
      note: 'COUNT(*) per series in SeriesStore.summaries()',
    },
  ];
}
