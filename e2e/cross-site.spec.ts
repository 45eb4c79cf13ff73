/**
 * Other web pages in the user's browser against `candlekeep serve` on loopback: a page on a second
 * local origin tries a cross-site form POST (text/plain and form-encoded), a no-cors fetch, a JSON
 * fetch (preflighted), a WebSocket, and a DNS-rebinding name (Chromium resolves rebind.test to
 * 127.0.0.1, as an attacker's DNS would after the page loaded). Nothing changes in the store; each
 * attempt is in `candlekeep audit --json`; curl-like tools and the dashboard on its own origin still work.
 */
import { test, expect } from '@playwright/test';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runCli } from './helpers.js';
import { DAY, minuteNow, startStack, type Stack } from './stack.js';

const REBIND_NAME = 'rebind.test';

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--host-resolver-rules=MAP ${REBIND_NAME} 127.0.0.1`,
    ],
  },
});

let stack: Stack;
let attacker: http.Server;
let attackerUrl = '';

/** The attacker's page: an empty document with a hidden frame for form posts to land in. */
const ATTACKER_PAGE = '<!doctype html><title>cute cats</title><iframe name="sink" id="sink"></iframe>';

test.beforeAll(async () => {
  const to = Math.floor(minuteNow() / 3_600_000) * 3_600_000 - 2 * DAY;
  stack = await startStack({ backfill: { symbol: 'BTCUSDT', timeframe: '1h', from: to - 2 * DAY, to } });
  attacker = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(ATTACKER_PAGE);
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => attacker?.close(resolve));
  await stack?.close();
});

/** A tool's call (no Origin, JSON), like curl or a script. */
async function toolCall(channel: string, args?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${stack.serverUrl}/api/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: args === undefined ? '' : JSON.stringify(args),
  });
  return { status: res.status, body: await res.json() };
}

/** `candlekeep audit --json` from `since` on (a spec's own rows, whatever ran before it). */
async function audit(
  since: number,
): Promise<Array<{ actor: string; channel: string; outcome: string; reason: string | null; remote: string | null }>> {
  const listed = await runCli(
    ['audit', '--json', '--limit', '1000', '--since', String(since), '--db', stack.db],
    stack.env,
  );
  expect(listed.code, listed.stderr).toBe(0);
  return JSON.parse(listed.stdout);
}

test('a page on another origin cannot change the collection, and neither can a rebinding name', async ({ page }) => {
  const started = Date.now();
  const series = (await toolCall('series:list')).body.result as Array<{
    id: number;
    enabled: boolean;
    candleCount: number;
  }>;
  expect(series).toHaveLength(1);
  const { id: seriesId, candleCount } = series[0]!;
  expect(series[0]!.enabled).toBe(true);
  const target = `${stack.serverUrl}/api/series:pause`;

  await page.goto(attackerUrl);
  const formPost = async (enctype: string): Promise<void> => {
    const landed = page.waitForEvent('framenavigated', (f) => f.name() === 'sink');
    await page.evaluate(
      ({ action, enctype: type, id }) => {
        const form = document.createElement('form');
        form.method = 'POST';
        form.action = action;
        form.enctype = type;
        form.target = 'sink';
        // text/plain forms send `name=value`: this pair reads as the JSON {"seriesId":N,"x":"="}.
        const input = document.createElement('input');
        input.name = `{"seriesId":${id},"x":"`;
        input.value = '"}';
        form.append(input);
        document.body.append(form);
        form.submit();
      },
      { action: target, enctype, id: seriesId },
    );
    await landed;
  };
  await formPost('text/plain');
  await formPost('application/x-www-form-urlencoded');

  const fetched = await page.evaluate(
    async ({ action, id }) => {
      const body = JSON.stringify({ seriesId: id });
      // Opaque answer: the page cannot read it, but a server that acted on it would have changed things.
      await fetch(action, { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body });
      let preflighted = 'answered';
      await fetch(action, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body }).catch(
        () => (preflighted = 'blocked'),
      );
      const socket = await new Promise<string>((resolve) => {
        const ws = new WebSocket(action.replace(/^http/, 'ws').replace(/\/api\/.*$/, '/ws'));
        ws.onopen = () => {
          ws.send(JSON.stringify({ id: 1, channel: 'series:pause', args: { seriesId: id } }));
          ws.onmessage = (m) => resolve(`opened: ${String(m.data)}`);
        };
        ws.onerror = () => resolve('refused');
      });
      return { preflighted, socket };
    },
    { action: target, id: seriesId },
  );
  expect(fetched).toEqual({ preflighted: 'blocked', socket: 'refused' });

  // DNS rebinding: the page's own name now resolves to 127.0.0.1, so to the browser this is same-origin.
  const rebound = `http://${REBIND_NAME}:${new URL(stack.serverUrl).port}`;
  const landing = await page.goto(`${rebound}/`);
  expect(landing!.status()).toBe(403);
  expect(await landing!.text()).toMatch(/Host 'rebind\.test:\d+' is not this server's name/);
  const sameOriginTry = await page.evaluate(async (id) => {
    const res = await fetch('/api/series:pause', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ seriesId: id }),
    });
    const socket = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://${location.host}/ws`);
      ws.onopen = () => resolve('opened');
      ws.onerror = () => resolve('refused');
    });
    return { status: res.status, socket };
  }, seriesId);
  expect(sameOriginTry).toEqual({ status: 403, socket: 'refused' });

  // Nothing stored changed: the series still collects, with the same candles.
  const after = (await toolCall('series:list')).body.result as Array<{
    id: number;
    enabled: boolean;
    candleCount: number;
  }>;
  expect(after).toHaveLength(1);
  expect(after[0]).toMatchObject({ id: seriesId, enabled: true });
  expect(after[0]!.candleCount).toBeGreaterThanOrEqual(candleCount);

  // Each attempt is in the audit log, refused, with why.
  const refused = (await audit(started)).filter((r) => r.outcome === 'refused');
  const byReason = (reason: string): string[] =>
    refused
      .filter((r) => r.reason?.startsWith(reason))
      .map((r) => r.channel)
      .sort();
  expect(byReason('bad origin')).toEqual(['series:pause', 'series:pause', 'series:pause', 'series:pause', 'ws']);
  // The browser may also ask the rebound name for a favicon: refused as well.
  expect(byReason('bad host')).toEqual(expect.arrayContaining(['GET /', 'series:pause', 'ws']));
  expect(refused.every((r) => r.actor === 'anonymous' && r.remote === '127.0.0.1')).toBe(true);
  expect((await audit(started)).filter((r) => r.outcome === 'ok' && r.channel === 'series:pause')).toEqual([]);
});

test('tools without an Origin and the dashboard on its own origin keep working, and the dashboard shows the audit log', async ({
  page,
}, testInfo) => {
  const started = Date.now();
  const klines = await fetch(`${stack.serverUrl}/api/v3/klines?symbol=BTCUSDT&interval=1h&limit=3`);
  expect(klines.status).toBe(200);
  expect((await klines.json()) as unknown[]).toHaveLength(3);
  expect(klines.headers.get('access-control-allow-origin')).toBeNull();
  // One refusal of this test's own for the Audit page to show.
  const foreign = await fetch(`${stack.serverUrl}/api/engine:pause`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example' },
    body: '',
  });
  expect(foreign.status).toBe(403);

  await page.goto(stack.serverUrl);
  await expect(page.getByTestId('series-row')).toHaveCount(1);
  await page.getByTestId('engine-toggle').click();
  await expect(page.getByTestId('engine-state')).toHaveText(/paused/i);
  await page.getByTestId('engine-toggle').click();
  await expect(page.getByTestId('engine-state')).not.toHaveText(/paused/i);

  await page.keyboard.press('8');
  await expect(page.getByTestId('audit-page')).toBeVisible();
  await page.getByLabel('Outcome').selectOption('ok');
  const rows = page.getByTestId('audit-row');
  await expect(rows.first()).toHaveAttribute('data-channel', 'engine:resume');
  await expect(rows.nth(1)).toHaveAttribute('data-channel', 'engine:pause');
  await expect(rows.first()).toContainText('dashboard');
  await page.getByLabel('Outcome').selectOption('refused');
  await expect(rows.first()).toHaveAttribute('data-outcome', 'refused');
  await page.getByLabel('Channel').fill('engine:pause');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('bad origin');
  await page.getByLabel('Channel').fill('');
  await page.getByLabel('Outcome').selectOption('');
  await expect(rows.nth(2)).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('audit.png'), fullPage: true });

  const log = await audit(started);
  expect(
    log
      .filter((r) => r.outcome === 'ok')
      .slice(0, 2)
      .map((r) => [r.actor, r.channel]),
  ).toEqual([
    ['dashboard', 'engine:resume'],
    ['dashboard', 'engine:pause'],
  ]);
});
