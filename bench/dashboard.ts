/**
 * The dashboard in a real browser over a big database: 20 series, 10 million stored candles, served by
 * `candlekeep serve` (its engine tailing from the simulator). Measured inside the page:
 *  - the overview: navigation start until every series row and source tile is on screen (goal < 1 s);
 *  - a chart zoom and a gap-map zoom, at every step from a year down to hours and back: input event
 *    until the new range's data is drawn (goal < 300 ms), against fetching the raw candles of the same
 *    range from the same server (GET /export …&format=json, parsed) — what a chart without server-side
 *    aggregation would have to do;
 *  - 'series:list', the overview's snapshot, on the server, since its cost grows with the candle count;
 *  - the history queries (a source over 90 days, 7 days and 24 hours; the overview's heartbeats and
 *    SLOs) with 10 sources' history at full retention (history-load.ts), against a 300 ms limit.
 * Needs the built dashboard (`npm run build`) and Debian's chromium (CHROMIUM_PATH to override).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { Store } from '../electron/store/store.js';
import { RENDERER_DIR } from '../electron/cli/commands/serve.js';
import { startSimProcess } from './sim-process.js';
import { compare, type Comparison } from './report.js';
import { HISTORY_SOURCES, loadHistory } from './history-load.js';

const SYMBOLS = [
  'BTCUSDT',
  'ETHUSDT',
  'BNBUSDT',
  'SOLUSDT',
  'XRPUSDT',
  'ADAUSDT',
  'DOGEUSDT',
  'LTCUSDT',
  'ETHBTC',
  'NEWUSDT',
];
const TIMEFRAMES: Array<[string, number]> = [
  ['1m', 60_000],
  ['3m', 180_000],
];
const PER_SERIES = 500_000;
const HOLES_PER_SERIES = 8;
const BIN = path.resolve(import.meta.dirname, '../electron/cli/bin.js');
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

/**
 * 20 series of 500,000 candles each, ending at the last closed candle (so the engine only tails), with
 * holes punched out and written to the ledger (open with a retry far away, or confirmed empty), so
 * the gap maps have something to show and the engine nothing to repair during the run.
 */
function buildDatabase(file: string): number[] {
  const store = Store.open(file);
  const now = Date.now();
  const insert = store.db.prepare(
    'INSERT INTO candles (series_id, ts, open, high, low, close, volume) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const hole = store.db.prepare(
    `INSERT INTO holes (series_id, from_ts, to_ts, state, cause, attempts, next_attempt_ts, last_error, detected_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 1, ?, NULL, ?, ?)`,
  );
  const ids: number[] = [];
  for (const symbol of SYMBOLS) {
    for (const [timeframe, step] of TIMEFRAMES) {
      const end = Math.floor(now / step) * step - step;
      const start = end - (PER_SERIES - 1) * step;
      const series = store.series.ensure({ source: 'binance', symbol, timeframe: timeframe as '1m' }, start, now);
      ids.push(series.id);
      const punched = Array.from({ length: HOLES_PER_SERIES }, (_, i) =>
        Math.floor(((i + 0.5) / HOLES_PER_SERIES) * PER_SERIES),
      );
      let price = 100;
      for (let from = 0; from < PER_SERIES; from += 100_000) {
        store.transaction(() => {
          for (let i = from; i < Math.min(PER_SERIES, from + 100_000); i++) {
            const at = punched.find((p) => i >= p && i < p + 30);
            if (at !== undefined) continue;
            const open = price;
            price *= 1 + Math.sin(i * 12.9898 + series.id) * 0.002;
            insert.run(
              series.id,
              start + i * step,
              open,
              Math.max(open, price) * 1.001,
              Math.min(open, price) * 0.999,
              price,
              10 + (i % 17),
            );
          }
        });
      }
      store.transaction(() => {
        punched.forEach((p, i) => {
          const open = i % 2 === 0;
          hole.run(
            series.id,
            start + p * step,
            start + (p + 30) * step,
            open ? 'open' : 'confirmed_empty',
            open ? 'fetch_failed' : 'source_gap',
            open ? now + 86_400_000 : null,
            now,
            now,
          );
        });
      });
    }
  }
  loadHistory(store, now);
  store.close();
  return ids;
}

async function startServe(db: string, env: NodeJS.ProcessEnv): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', db], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /serving (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  return { url, child };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const worst = (xs: number[]): number => Math.max(...xs);

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

/**
 * Fire `input` inside the page and resolve with the ms until the element's drawn range equals its
 * (new) view range and one more frame was painted: what the user waits for after a zoom.
 */
async function timedUpdate(
  page: Page,
  selector: string,
  input: 'wheel-in' | 'wheel-out' | 'click' | 'zoom-out' | 'whole',
): Promise<{ ms: number; from: number; to: number }> {
  return page.evaluate(
    async ({ selector, input }) => {
      const el = document.querySelector<HTMLElement>(selector)!;
      const before = `${el.dataset.viewFrom}-${el.dataset.viewTo}`;
      const target = el.querySelector<HTMLElement>('.chart-surface, .strip-canvas')!;
      const rect = target.getBoundingClientRect();
      const at = {
        clientX: rect.left + rect.width * 0.5,
        clientY: rect.top + rect.height * 0.5,
        bubbles: true,
        cancelable: true,
      };
      const started = performance.now();
      if (input === 'wheel-in' || input === 'wheel-out')
        target.dispatchEvent(new WheelEvent('wheel', { ...at, deltaY: input === 'wheel-in' ? -400 : 400 }));
      else if (input === 'click') {
        target.dispatchEvent(new PointerEvent('pointerdown', { ...at, button: 0, pointerId: 1 }));
        target.dispatchEvent(new PointerEvent('pointerup', { ...at, button: 0, pointerId: 1 }));
      } else {
        const label = input === 'zoom-out' ? 'Zoom out' : 'Whole history';
        [...el.querySelectorAll('button')].find((b) => b.textContent === label)!.click();
      }
      await new Promise<void>((resolve, reject) => {
        const deadline = started + 20_000;
        const check = (): void => {
          const view = `${el.dataset.viewFrom}-${el.dataset.viewTo}`;
          if (
            view !== before &&
            el.dataset.drawnFrom === el.dataset.viewFrom &&
            el.dataset.drawnTo === el.dataset.viewTo
          )
            resolve();
          else if (performance.now() > deadline) reject(new Error(`${selector} did not update after ${input}`));
          else requestAnimationFrame(check);
        };
        check();
      });
      await new Promise((r) => requestAnimationFrame(r));
      return { ms: performance.now() - started, from: Number(el.dataset.viewFrom), to: Number(el.dataset.viewTo) };
    },
    { selector, input },
  );
}

/** The baseline: the raw candles of the same range from the same server, fetched and parsed in the page. */
async function rawFetch(page: Page, seriesId: number, from: number, to: number): Promise<number> {
  return page.evaluate(
    async ({ seriesId, from, to }) => {
      const started = performance.now();
      const res = await fetch(`/export?seriesId=${seriesId}&from=${from}&to=${to}&format=json`);
      const rows = JSON.parse(await res.text()) as unknown[];
      if (!res.ok || !Array.isArray(rows)) throw new Error(`raw fetch failed: HTTP ${res.status}`);
      return performance.now() - started;
    },
    { seriesId, from, to },
  );
}

interface ZoomRun {
  ours: number[];
  raw: number[];
}

/** True when a view already shows all there is (zooming out further changes nothing). */
async function atBounds(page: Page, selector: string): Promise<boolean> {
  return page.$eval(selector, (el) => {
    const d = (el as HTMLElement).dataset;
    return d.boundsFrom !== undefined && d.viewFrom === d.boundsFrom && d.viewTo === d.boundsTo;
  });
}

async function zoomRun(
  page: Page,
  selector: string,
  seriesId: number,
  inputs: Array<Parameters<typeof timedUpdate>[2]>,
): Promise<ZoomRun> {
  const run: ZoomRun = { ours: [], raw: [] };
  for (const input of inputs) {
    if (input === 'wheel-out' && (await atBounds(page, selector))) break;
    const step = await timedUpdate(page, selector, input);
    run.ours.push(step.ms);
    run.raw.push(await rawFetch(page, seriesId, step.from, step.to));
  }
  return run;
}

async function serverCall(url: string, channel: string, args?: unknown): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${url}/api/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: args === undefined ? undefined : JSON.stringify(args),
  });
  const body = (await res.json()) as { error?: { message: string } };
  if (body.error) throw new Error(`${channel}: ${body.error.message}`);
  return performance.now() - started;
}

/** Every source's history over one range, each asked once: the times of all of them. */
async function historyCalls(url: string, range: string): Promise<number[]> {
  const times: number[] = [];
  for (const source of HISTORY_SOURCES) times.push(await serverCall(url, 'history:source', { source, range }));
  return times;
}

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

    await overviewLoad(page, started.url, ids.length); // warm: assets cached, as for a returning user
    const loads: OverviewLoad[] = [];
    for (let i = 0; i < 5; i++) loads.push(await overviewLoad(page, started.url, ids.length));
    const overview = loads.map((l) => l.total);
    const waited = median(loads.map((l) => l.seriesList - l.connected));
    const seriesList: number[] = [];
    for (let i = 0; i < 3; i++) seriesList.push(await serverCall(started.url, 'series:list'));
    await historyCalls(started.url, '90d'); // warm: the page cache, as for a dashboard already open
    const history90d = await historyCalls(started.url, '90d');
    const history7d = await historyCalls(started.url, '7d');
    const history24h = await historyCalls(started.url, '24h');
    const historyOverview: number[] = [];
    for (let i = 0; i < 5; i++) historyOverview.push(await serverCall(started.url, 'history:overview'));

    // The 1m series: 500,000 candles over ~347 days, opened on its whole range.
    const seriesId = ids[0]!;
    await page.goto(`${started.url}/#/chart/${seriesId}?from=0&to=${Date.now() + 86_400_000}`);
    await page.waitForFunction(
      () => {
        const el = document.querySelector<HTMLElement>('[data-testid="candle-chart"]');
        return !!el && el.dataset.drawnFrom === el.dataset.viewFrom && el.dataset.drawnTo === el.dataset.viewTo;
      },
      undefined,
      { timeout: 30_000 },
    );
    const chart = await zoomRun(page, '[data-testid="candle-chart"]', seriesId, [
      'wheel-in',
      'wheel-in',
      'wheel-in',
      'wheel-in',
      'wheel-in',
      'wheel-in',
      'wheel-out',
      'wheel-out',
      'wheel-out',
      'wheel-out',
      'wheel-out',
      'wheel-out',
      'wheel-out',
      'wheel-out',
    ]);

    await page.goto(`${started.url}/#/series/${seriesId}`);
    await page.waitForFunction(
      () => {
        const el = document.querySelector<HTMLElement>('[data-testid="gap-strip"]');
        return !!el && el.dataset.drawnFrom === el.dataset.viewFrom && Number(el.dataset.stored) > 0;
      },
      undefined,
      { timeout: 30_000 },
    );
    const gaps = await zoomRun(page, '[data-testid="gap-strip"]', seriesId, [
      'click',
      'click',
      'click',
      'zoom-out',
      'zoom-out',
      'whole',
    ]);
    if (errors.length) throw new Error(`the dashboard logged errors: ${errors.join('; ')}`);

    const data = `${ids.length} series, ${((ids.length * PER_SERIES) / 1e6).toFixed(0)}M candles`;
    const steps = (r: ZoomRun): string =>
      `${r.ours.length} zooms, a year down to hours and back; slowest ${Math.round(worst(r.ours))} ms`;
    return [
      compare(
        'overview on screen after navigation',
        { unit: 'ms', value: median(overview) },
        { name: 'limit', unit: 'ms', value: 1_000 },
        1,
        false,
        `${data}; median of 5, slowest ${Math.round(worst(overview))} ms; connected at ${Math.round(median(loads.map((l) => l.connected)))} ms, then ${Math.round(waited)} ms waiting for 'series:list'`,
      ),
      compare(
        "'series:list' on the server (the overview's snapshot)",
        { unit: 'ms', value: median(seriesList) },
        { name: 'limit', unit: 'ms', value: 1_000 },
        1,
        false,
        'COUNT(*) per series in SeriesStore.summaries()',
      ),
      compare(
        "'history:source' over 90 days, slowest of 10 sources",
        { unit: 'ms', value: worst(history90d) },
        { name: 'limit', unit: 'ms', value: 300 },
        1,
        false,
        `hour buckets, 2 hosts × 3 outcomes each; median ${Math.round(median(history90d))} ms`,
      ),
      compare(
        "'history:source' over 7 days, slowest of 10 sources",
        { unit: 'ms', value: worst(history7d) },
        { name: 'limit', unit: 'ms', value: 300 },
        1,
        false,
        `median ${Math.round(median(history7d))} ms`,
      ),
      compare(
        "'history:source' over 24 hours, slowest of 10 sources",
        { unit: 'ms', value: worst(history24h) },
        { name: 'limit', unit: 'ms', value: 300 },
        1,
        false,
        `minute buckets; median ${Math.round(median(history24h))} ms`,
      ),
      compare(
        "'history:overview' (heartbeats of 10 sources, SLOs over 24 h and 7 d)",
        { unit: 'ms', value: median(historyOverview) },
        { name: 'limit', unit: 'ms', value: 300 },
        1,
        false,
        `median of 5, slowest ${Math.round(worst(historyOverview))} ms; completeness counts a week of candles of ${ids.length} series`,
      ),
      compare(
        'chart update after zoom',
        { unit: 'ms', value: median(chart.ours) },
        { name: 'fetch raw candles for the same range', unit: 'ms', value: median(chart.raw) },
        1,
        false,
        steps(chart),
      ),
      compare(
        'chart update after zoom, slowest step',
        { unit: 'ms', value: worst(chart.ours) },
        { name: 'limit', unit: 'ms', value: 300 },
        1,
        false,
        `steps (ms): ${chart.ours.map(Math.round).join(', ')}`,
      ),
      compare(
        'gap map update after zoom',
        { unit: 'ms', value: median(gaps.ours) },
        { name: 'fetch raw candles for the same range', unit: 'ms', value: median(gaps.raw) },
        1,
        false,
        steps(gaps),
      ),
      compare(
        'gap map update after zoom, slowest step',
        { unit: 'ms', value: worst(gaps.ours) },
        { name: 'limit', unit: 'ms', value: 300 },
        1,
        false,
        `steps (ms): ${gaps.ours.map(Math.round).join(', ')}`,
      ),
    ];
  } finally {
    await browser.close();
    if (serve) await stopChild(serve);
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
