/**
 * The dashboard in a real browser over a big database: 20 series, 10 million stored candles, served by
 * `candlekeep serve` (its engine tailing from the simulator). Four benches share that one database and
 * server, since building it takes longer than all of them (each in `dashboard/`):
 *  - the overview on screen after navigation, and 'series:list', its snapshot (`overview.ts`);
 *  - the history queries with 10 sources' history at full retention (`history.ts`);
 *  - a chart zoom and a gap-map zoom, at every step from a year down to hours and back, against
 *    fetching the raw candles of the same range (`chart-zoom.ts`, `gap-zoom.ts`, `zoom.ts`).
 * Each returns its rows as data (`claims.ts`): a time against a baseline or a limit.
 * Needs the built dashboard (`npm run build`) and Debian's chromium (CHROMIUM_PATH to override).
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { RENDERER_DIR } from '../electron/cli/commands/serve.js';
import { startSimProcess } from './sim-process.js';
import { startServe, stopChild } from './serve-process.js';
import type { Comparison } from './report.js';
import { buildDatabase, PER_SERIES } from './dashboard/database.js';
import { timedComparison } from './dashboard/claims.js';
import { benchOverview } from './dashboard/overview.js';
import { benchHistory } from './dashboard/history.js';
import { benchChartZoom } from './dashboard/chart-zoom.js';
import { benchGapZoom } from './dashboard/gap-zoom.js';

/** The same browser and flags as playwright.config.ts. */
const LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

export async function benchDashboard(): Promise<Comparison[]> {
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html')))
    throw new Error('the dashboard is not built: run `npm run build` first');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candlekeep-dashboard-'));
  const sim = await startSimProcess(['--seed', '4']);
  let serve: ChildProcess | undefined;
  const browser = await chromium.launch(LAUNCH);
  try {
    const db = path.join(dir, 'dashboard.db');
    const ids = buildDatabase(db);
    const started = await startServe(db, { CANDLEKEEP_BINANCE_URL: `${sim.url}/binance`, CANDLEKEEP_HOME: dir });
    serve = started.child;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // tsx keeps function names by wrapping functions in __name(), which the page does not define.
    await page.addInitScript('window.__name = (fn) => fn');
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

    const data = `${ids.length} series, ${((ids.length * PER_SERIES) / 1e6).toFixed(0)}M candles`;
    const overview = await benchOverview(page, started.url, ids.length, data);
    const history = await benchHistory(started.url, ids.length);
    // The 1m series: 500,000 candles over ~347 days.
    const seriesId = ids[0]!;
    const chart = await benchChartZoom(page, started.url, seriesId);
    const gaps = await benchGapZoom(page, started.url, seriesId);
    if (errors.length) throw new Error(`the dashboard logged errors: ${errors.join('; ')}`);
    return [...overview, ...history, ...chart, ...gaps].map(timedComparison);
  } finally {
    await browser.close();
    if (serve) await stopChild(serve);
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
