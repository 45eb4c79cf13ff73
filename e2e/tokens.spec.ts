/**
 * `serve --require-token` in a real browser: no token gets 401; a read token (from `candlekeep tokens
 * add`, made while serve runs) opens the dashboard through its cookie and reads, but its changes are
 * refused with the reason and it sees no Audit page; an admin token changes things; a revoked token is
 * out at once. Every refusal and change is in `candlekeep audit --json`.
 */
import { test, expect } from '@playwright/test';
import { runCli } from './helpers.js';
import { DAY, minuteNow, startStack, type Stack } from './stack.js';

let stack: Stack;

test.beforeAll(async () => {
  const to = Math.floor(minuteNow() / 3_600_000) * 3_600_000 - 2 * DAY;
  stack = await startStack({
    backfill: { symbol: 'BTCUSDT', timeframe: '1h', from: to - DAY, to },
    serveArgs: ['--require-token'],
  });
});

test.afterAll(async () => {
  await stack?.close();
});

async function cli(args: string[]): Promise<string> {
  const done = await runCli([...args, '--db', stack.db], stack.env);
  expect(done.code, done.stderr).toBe(0);
  return done.stdout;
}

async function engineState(token: string): Promise<string> {
  const res = await fetch(`${stack.serverUrl}/api/engine:status`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
  });
  return ((await res.json()) as { result: { state: string } }).result.state;
}

test('no token gets 401, a read token reads but cannot change, an admin token can, a revoked one is out', async ({
  browser,
}) => {
  const anonymous = await browser.newPage();
  expect((await anonymous.goto(stack.serverUrl))!.status()).toBe(401);
  expect((await fetch(`${stack.serverUrl}/api/v3/klines?symbol=BTCUSDT&interval=1h&limit=2`)).status).toBe(401);
  await anonymous.close();

  const read = (await cli(['tokens', 'add', 'viewer', '--role', 'read'])).trim();
  const admin = (await cli(['tokens', 'add', 'ops', '--role', 'admin'])).trim();
  const klines = await fetch(`${stack.serverUrl}/api/v3/klines?symbol=BTCUSDT&interval=1h&limit=2`, {
    headers: { Authorization: `Bearer ${read}` },
  });
  expect(klines.status).toBe(200);

  const viewer = await (await browser.newContext()).newPage();
  await viewer.goto(`${stack.serverUrl}/?token=${read}`);
  await expect(viewer.getByTestId('series-row')).toHaveCount(1);
  await expect(viewer.getByRole('link', { name: /Audit/ })).toHaveCount(0);
  await viewer.getByTestId('engine-toggle').click();
  await expect(
    viewer.getByText('a read token cannot call engine:pause, which changes things: use an admin token'),
  ).toBeVisible();
  expect(await engineState(admin)).toBe('running');

  const operator = await (await browser.newContext()).newPage();
  await operator.goto(`${stack.serverUrl}/?token=${admin}`);
  await expect(operator.getByRole('link', { name: /Audit/ })).toBeVisible();
  await operator.getByTestId('engine-toggle').click();
  await expect(operator.getByTestId('engine-state')).toHaveText(/paused/i);
  expect(await engineState(read)).toBe('paused');

  await cli(['tokens', 'revoke', 'viewer']);
  expect((await viewer.reload())!.status()).toBe(401);

  const log = JSON.parse(await cli(['audit', '--json'])) as Array<{
    actor: string;
    channel: string;
    outcome: string;
    reason: string | null;
  }>;
  const rows = log.map((r) => [r.actor, r.channel, r.outcome, r.reason?.split(':')[0] ?? null]);
  expect(rows).toContainEqual(['token:viewer', 'engine:pause', 'refused', 'wrong role']);
  expect(rows).toContainEqual(['token:ops', 'engine:pause', 'ok', null]);
  expect(rows).toContainEqual(['anonymous', 'GET /', 'refused', 'missing token']);
  expect(rows).toContainEqual(['anonymous', 'GET /', 'refused', 'wrong token']);
  expect(rows.filter((r) => r[1] === 'tokens:add' && r[2] === 'ok')).toHaveLength(2);
  expect(JSON.stringify(log)).not.toContain(read);
  expect(JSON.stringify(log)).not.toContain(admin);
});
