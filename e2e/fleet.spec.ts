/**
 * The dashboard's Collectors panel on a `serve` of a PostgreSQL database that a fleet shares: each
 * collector with its state, heartbeat, egress, leases and budget, and a collector that stops shown
 * as stopped. The collector here is the fleet's own lease keeper, run in the test's process.
 */
import { test, expect } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { startCli, stop, tempDir, watchConsole } from './helpers.js';
import { postgresUnavailable, startPostgres, type TestPostgres } from '../electron/test-support/postgres.js';
import { LeaseKeeper } from '../electron/fleet/lease-keeper.js';

const unavailable = postgresUnavailable();
let db: TestPostgres | undefined;
let server: ChildProcess | undefined;
let serverUrl = '';
let pool: pg.Pool | undefined;
let keeper: LeaseKeeper | undefined;

test.skip(unavailable !== null, `PostgreSQL: ${unavailable}`);

test.beforeAll(async () => {
  db = await startPostgres();
  const serve = await startCli(['serve', '--port', '0', '--no-engine', '--db', db.url], { CANDLEKEEP_HOME: tempDir() });
  server = serve.child;
  serverUrl = serve.url;
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  keeper = new LeaseKeeper({
    pool,
    name: 'eu-1',
    version: '9.9.9',
    egress: 'office',
    ttlMs: 6_000,
    seriesIds: () => [1, 2, 3],
    budgetUse: () => [{ key: 'binance', used: 120, limit: 2970, windowMs: 60_000 }],
  });
  await keeper.start();
});

test.afterAll(async () => {
  await keeper?.stop();
  await pool?.end();
  await stop(server);
  await db?.stop();
});

test('the overview shows each collector of the fleet, and one that stops as stopped', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto(serverUrl);
  const panel = page.getByTestId('fleet-panel');
  await expect(panel).toContainText('1 of 1 collector alive');
  const row = page.getByTestId('fleet-eu-1');
  await expect(row).toContainText('alive');
  await expect(row).toContainText('9.9.9');
  await expect(row).toContainText('office');
  await expect(row.locator('td').nth(5)).toHaveText('3');
  await expect(row).toContainText('binance 120 / 2,970');
  await keeper!.stop();
  await expect(row).toContainText('stopped', { timeout: 15_000 });
  await expect(panel).toContainText('0 of 1 collector alive');
  expect(errors).toEqual([]);
});
