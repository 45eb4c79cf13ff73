/**
 * The headless server end to end over real HTTP: readiness and metrics, alerts raised once and
 * delivered to a webhook then cleared, the token on non-loopback binds, and keys that never leak.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import { createRuntime, type Runtime } from '../runtime.js';
import { serveRuntime } from './serve-runtime.js';
import type { RunningServer } from './http-server.js';
import { FileSecretStore } from '../secrets/file-secret-store.js';
import { tempDir } from '../test-support/temp-db.js';

let sim: Simulator;
let runtime: Runtime;
let server: RunningServer;
let dir: ReturnType<typeof tempDir>;

async function call(channel: string, args?: unknown, token?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}/api/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: args === undefined ? '' : JSON.stringify(args),
  });
  return { status: res.status, body: await res.json() };
}

async function until(check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeEach(async () => {
  dir = tempDir();
  sim = await startSimulator({ seed: 3 });
  runtime = createRuntime({
    dbPath: path.join(dir.dir, 'api.db'),
    shell: 'node',
    logToFile: true,
    env: { CANDLEKEEP_BINANCE_URL: `${sim.url}/binance`, CANDLEKEEP_COINGECKO_URL: `${sim.url}/coingecko/api/v3` },
    secrets: new FileSecretStore(path.join(dir.dir, 'secrets.json')),
  });
});

afterEach(async () => {
  await server?.close();
  await runtime.close();
  await sim.close();
  dir.cleanup();
});

describe('serve', () => {
  it('answers /readyz and /metrics, and turns unready when the database is unavailable', async () => {
    server = await serveRuntime(runtime, { staticDir: dir.dir, port: 0 });
    await runtime.start();
    await call('series:add', {
      source: 'binance',
      symbol: 'BTCUSDT',
      timeframe: '1h',
      from: Date.now() - 3 * 86_400_000,
    });
    await until(async () => (await call('series:list')).body.result[0]?.candleCount > 0);

    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    // The health it shows is the dashboard's (and so the tray's and the title's).
    const { health } = (await call('engine:status')).body.result as { health: string };
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', engine: 'running', health } });

    const text = await (await fetch(`${server.url}/metrics`)).text();
    const families = parsePrometheusTextFormat(text);
    const family = (name: string) => families.find((f) => f.name === name)!;
    expect(family('candlekeep_requests_total').type).toBe('COUNTER');
    expect(
      Number(
        family('candlekeep_requests_total').metrics.find(
          (m) => m.labels?.source === 'binance' && m.labels?.outcome === 'ok',
        )!.value,
      ),
    ).toBeGreaterThan(0);
    expect(Number(family('candlekeep_series_candles').metrics[0]!.value)).toBeGreaterThan(0);
    for (const name of [
      'candlekeep_budget_used',
      'candlekeep_holes_open',
      'candlekeep_job_queue_depth',
      'candlekeep_series_freshness_seconds',
      'candlekeep_candles_stored_total',
      'candlekeep_rate_limited_total',
    ]) {
      expect(family(name), name).toBeDefined();
    }
    // The SLOs: the same values the dashboard's overview gets over the contract, with their targets.
    const overview = (await call('history:overview')).body.result as {
      slo: { windows: Record<'24h' | '7d', { apiSuccess: number; requests: number }> };
      heartbeats: Array<{ source: string; buckets: unknown[] }>;
    };
    const slo = (name: string, window: string) =>
      Number(
        family('candlekeep_slo').metrics.find((m) => m.labels?.slo === name && m.labels?.window === window)!.value,
      );
    expect(overview.slo.windows['24h'].requests).toBeGreaterThan(0);
    expect(slo('api_success', '24h')).toBe(overview.slo.windows['24h'].apiSuccess);
    expect(slo('api_success', '7d')).toBe(overview.slo.windows['7d'].apiSuccess);
    expect(
      Number(family('candlekeep_slo_target').metrics.find((m) => m.labels?.slo === 'response_seconds_avg')!.value),
    ).toBe(2);
    expect(overview.heartbeats.map((h) => [h.source, h.buckets.length])).toEqual([['binance', 60]]);

    runtime.store.db.close();
    const down = await fetch(`${server.url}/readyz`);
    expect(down.status).toBe(503);
    expect((await down.json()).checks.database).toMatch(/unavailable/);
  });

  it('raises a source-down alert once, delivers it to the webhook, and clears it when the fault ends', async () => {
    const received: any[] = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    server = await serveRuntime(runtime, { staticDir: dir.dir, port: 0 });
    const rules = runtime.store.settings
      .get()
      .alerts.rules.map((r) => (r.kind === 'source_down' ? { ...r, threshold: 0.001 } : r));
    expect((await call('settings:update', { patch: { alerts: { rules, webhookUrl } } })).status).toBe(200);

    sim.faults.add({ kind: 'server_error', status: 503, route: '/binance/api/v3/' });
    for (let i = 0; i < 3; i++)
      expect((await call('symbols:search', { source: 'binance', search: 'BTC' })).status).toBe(400);
    await until(() => runtime.health.sources().find((s) => s.source === 'binance')?.status === 'down');
    runtime.alerts.evaluate(); // notes since when the source is down
    await new Promise((r) => setTimeout(r, 100));
    runtime.alerts.evaluate();
    runtime.alerts.evaluate();
    expect(runtime.alerts.list().map((a) => a.id)).toEqual(['source_down:binance']);

    sim.faults.clear();
    await until(() => runtime.health.sources().find((s) => s.source === 'binance')?.status !== 'down');
    runtime.alerts.evaluate();
    await runtime.alerts.webhookDrained();
    expect(received.map((m) => [m.status, m.alert.id])).toEqual([
      ['firing', 'source_down:binance'],
      ['resolved', 'source_down:binance'],
    ]);
    const events = (await call('events:list', { kinds: ['alert', 'alert_cleared'] })).body.result as Array<{
      kind: string;
    }>;
    expect(events.map((e) => e.kind)).toEqual(['alert_cleared', 'alert']);
    receiver.close();
  });

  it('refuses a non-loopback bind without a token, and every request without it but /healthz', async () => {
    await expect(serveRuntime(runtime, { staticDir: dir.dir, host: '0.0.0.0', port: 0 })).rejects.toThrow(/token/);
    const token = 'a-long-enough-secret-token';
    server = await serveRuntime(runtime, { staticDir: dir.dir, host: '0.0.0.0', port: 0, token });
    const base = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(401);
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect(
      (
        await fetch(`${base}/api/app:info`, {
          method: 'POST',
          body: '',
          headers: { 'Content-Type': 'application/json' },
        })
      ).status,
    ).toBe(401);
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect(
      (
        await fetch(`${base}/api/app:info`, {
          method: 'POST',
          body: '',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        })
      ).status,
    ).toBe(200);
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => undefined);
    });
    expect(refused).toBe(401);
  });

  it('never lets an API key set through the contract reach logs, events, metrics or any response', async () => {
    server = await serveRuntime(runtime, { staticDir: dir.dir, port: 0 });
    await runtime.start();
    const key = 'CG-super-secret-key-1234567890';
    const set = await call('keys:set', { name: 'coingecko.apiKey', value: key });
    expect(set.body.result.find((k: { name: string }) => k.name === 'coingecko.apiKey')).toMatchObject({ set: true });
    runtime.log.warn(`a careless message with ${key} inside`, { apiKey: key, note: `x-cg-demo-api-key=${key}` });
    // Make the key travel: a CoinGecko request (to the simulator) carries it in its header.
    expect((await call('symbols:search', { source: 'coingecko', search: 'bit' })).status).toBe(200);
    expect(sim.coingecko.plans).toContain('demo');
    const responses: string[] = [];
    for (const [channel, args] of [
      ['keys:status'],
      ['settings:get'],
      ['sources:health'],
      ['events:list', {}],
      ['app:info'],
      ['data:info'],
      ['series:list'],
      ['jobs:list'],
    ] as Array<[string, unknown?]>) {
      responses.push(JSON.stringify((await call(channel, args)).body));
    }
    responses.push(await (await fetch(`${server.url}/metrics`)).text());
    const logDir = path.join(dir.dir, 'logs');
    responses.push(...fs.readdirSync(logDir).map((f) => fs.readFileSync(path.join(logDir, f), 'utf8')));
    responses.push(JSON.stringify(runtime.store.events.list({ limit: 1000 })));
    for (const text of responses) expect(text).not.toContain(key);
    expect(responses.join('\n')).toContain('[redacted]');
  });
});
