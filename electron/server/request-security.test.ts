/**
 * The server against browsers that are not its dashboard, over real loopback and a real database:
 * foreign Host names (DNS rebinding), foreign Origins (cross-site forms, no-cors fetches, WebSockets),
 * non-JSON bodies, and tokens with roles. Each refusal is asserted by what the user cares about: the
 * status and its one-line message, nothing stored changed, and the audit row.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import path from 'node:path';
import WebSocket from 'ws';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { createRuntime, type Runtime } from '../runtime.js';
import { serveRuntime, type ServeOptions } from './serve-runtime.js';
import type { RunningServer } from './http-server.js';
import { FileSecretStore } from '../secrets/file-secret-store.js';
import { tempDir } from '../test-support/temp-db.js';

let runtime: Runtime;
let server: RunningServer;
let dir: ReturnType<typeof tempDir>;
let seriesId: number;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** A request with exactly these headers (fetch will not send a chosen Host). */
function request(
  method: string,
  pathAndQuery: string,
  headers: Record<string, string> = {},
  body = '',
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method,
        path: pathAndQuery,
        headers: { Host: `127.0.0.1:${server.port}`, ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const JSON_TYPE = { 'Content-Type': 'application/json' };
const call = (channel: string, args: unknown, headers: Record<string, string> = {}): Promise<Answer> =>
  request('POST', `/api/${channel}`, { ...JSON_TYPE, ...headers }, args === undefined ? '' : JSON.stringify(args));

/** A refusal as the user sees it: the status, and a one-line JSON error naming the problem. */
function expectRefused(answer: Answer, status: number, message: RegExp): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.text.split('\n')).toHaveLength(1);
  const body = JSON.parse(answer.text) as { error: { message: string } };
  expect(body.error.message).toMatch(message);
  expect(answer.headers['access-control-allow-origin']).toBeUndefined();
}

function upgrade(headers: Record<string, string>): Promise<{ status: number; body: string; socket: WebSocket }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, { headers });
    socket.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, socket }));
    });
    socket.on('open', () => resolve({ status: 101, body: '', socket }));
    socket.on('error', () => undefined);
  });
}

const enabled = (): boolean => runtime.store.series.get(seriesId)!.enabled;
const refusedRows = (reason: string) =>
  runtime.store.audit.list({ outcome: 'refused' }).filter((r) => r.reason?.startsWith(reason));

async function serve(options: Partial<ServeOptions> = {}): Promise<void> {
  server = await serveRuntime(runtime, { staticDir: dir.dir, port: 0, ...options });
}

beforeEach(() => {
  dir = tempDir();
  runtime = createRuntime({
    dbPath: path.join(dir.dir, 'security.db'),
    shell: 'node',
    secrets: new FileSecretStore(path.join(dir.dir, 'secrets.json')),
  });
  seriesId = runtime.store.series.ensure(
    { source: 'binance', symbol: 'BTCUSDT', timeframe: '1h' },
    Date.UTC(2024, 0, 1),
    Date.now(),
  ).id;
});

afterEach(async () => {
  await server?.close();
  await runtime.close();
  dir.cleanup();
});

describe('host check', () => {
  it('answers only its own names: a rebinding Host is refused everywhere, /healthz and the candle API included', async () => {
    await serve({ allowHosts: ['candles.lan'] });
    for (const target of ['/healthz', '/api/v3/klines?symbol=BTCUSDT&interval=1h', '/', '/metrics']) {
      expectRefused(
        await request('GET', target, { Host: `attacker.example:${server.port}` }),
        403,
        /Host 'attacker\.example:\d+' is not this server's name/,
      );
    }
    expectRefused(
      await call('series:pause', { seriesId }, { Host: `attacker.example:${server.port}` }),
      403,
      /not this server's name/,
    );
    // Our name on another port is another origin, and so is 127.0.0.2.
    expectRefused(
      await request('GET', '/healthz', { Host: `127.0.0.1:${server.port + 1}` }),
      403,
      /not this server's name/,
    );
    expectRefused(
      await request('GET', '/healthz', { Host: `127.0.0.2:${server.port}` }),
      403,
      /not this server's name/,
    );
    expect(enabled()).toBe(true);

    for (const host of [
      `127.0.0.1:${server.port}`,
      `localhost:${server.port}`,
      `LOCALHOST:${server.port}`,
      'candles.lan',
      'candles.lan:443',
    ]) {
      expect((await request('GET', '/healthz', { Host: host })).status, host).toBe(200);
    }
    expect((await request('GET', '/api/v3/ping')).status).toBe(200);
    const rows = refusedRows('bad host');
    expect(rows.length).toBe(7);
    expect(rows.map((r) => r.channel)).toContain('series:pause');
    expect(rows.every((r) => r.actor === 'anonymous' && r.remote === '127.0.0.1')).toBe(true);
  });
});

describe('origin check and CSRF', () => {
  it('refuses cross-site POSTs (text/plain, form-encoded, foreign Origin) and changes nothing; tools and the own origin are served', async () => {
    await serve();
    const foreign = 'http://127.0.0.1:9';
    expectRefused(
      await request(
        'POST',
        '/api/series:pause',
        { Origin: foreign, 'Content-Type': 'text/plain' },
        JSON.stringify({ seriesId }),
      ),
      403,
      /pages at http:\/\/127\.0\.0\.1:9 are refused/,
    );
    expectRefused(
      await request(
        'POST',
        '/api/series:pause',
        { 'Content-Type': 'text/plain;charset=UTF-8' },
        JSON.stringify({ seriesId }),
      ),
      415,
      /needs Content-Type: application\/json/,
    );
    expectRefused(
      await request(
        'POST',
        '/api/series:pause',
        { 'Content-Type': 'application/x-www-form-urlencoded' },
        `{"seriesId":${seriesId},"x":"=y"}`,
      ),
      415,
      /application\/json/,
    );
    expectRefused(
      await request('POST', '/api/series:pause', { 'Content-Type': 'multipart/form-data; boundary=x' }, ''),
      415,
      /application\/json/,
    );
    expectRefused(await call('series:pause', { seriesId }, { Origin: 'null' }), 403, /pages at null are refused/);
    expectRefused(
      await request('GET', `/export?seriesId=${seriesId}&from=0&to=1&format=csv`, { Origin: foreign }),
      403,
      /refused/,
    );
    expect(enabled()).toBe(true);

    // The dashboard on its own origin, and a tool that sends no Origin.
    expect((await call('series:pause', { seriesId }, { Origin: `http://127.0.0.1:${server.port}` })).status).toBe(200);
    expect(enabled()).toBe(false);
    expect((await call('series:resume', { seriesId })).status).toBe(200);
    expect(enabled()).toBe(true);
    expect(
      (await request('GET', '/api/v3/klines?symbol=BTCUSDT&interval=1h', { Origin: foreign })).headers[
        'access-control-allow-origin'
      ],
    ).toBeUndefined();

    // A malformed escape in the channel is an unknown channel, not a crash.
    expectRefused(
      await request('POST', '/api/series%E0:pause', { 'Content-Type': 'text/plain' }),
      415,
      /application\/json/,
    );
    expect(JSON.parse((await call('series%E0:pause', { seriesId })).text).error.message).toMatch(
      /unknown method 'series%E0:pause'/,
    );
    expect(
      refusedRows('bad origin')
        .map((r) => r.channel)
        .sort(),
    ).toEqual(['GET /export', 'series:pause', 'series:pause']);
    expect(refusedRows('bad content type')).toHaveLength(4);
    const changes = runtime.store.audit.list({ outcome: 'ok' });
    expect(changes.map((r) => [r.actor, r.channel, r.args])).toEqual([
      ['dashboard', 'series:resume', { seriesId }],
      ['dashboard', 'series:pause', { seriesId }],
    ]);
  });

  it('refuses a WebSocket from a foreign Origin, and takes one from the dashboard and from tools', async () => {
    await serve({ allowOrigins: ['https://tools.example'] });
    const foreign = await upgrade({ Origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).error.message).toMatch(/pages at http:\/\/evil\.example are refused/);
    expect((await upgrade({ Origin: 'http://evil.example', Host: 'evil.example' })).status).toBe(403);
    for (const headers of [
      { Origin: `http://127.0.0.1:${server.port}` },
      {},
      { Origin: 'https://tools.example' },
    ] as Array<Record<string, string>>) {
      const opened = await upgrade(headers);
      expect(opened.status, JSON.stringify(headers)).toBe(101);
      opened.socket.close();
    }
    expect(refusedRows('bad origin').map((r) => r.channel)).toEqual(['ws']);
    expect(refusedRows('bad host').map((r) => r.channel)).toEqual(['ws']);
    const metrics = parsePrometheusTextFormat(await (await request('GET', '/metrics')).text);
    const refused = metrics.find((f) => f.name === 'candlekeep_refused_requests_total')!;
    expect(Object.fromEntries(refused.metrics.map((m) => [m.labels!.reason, Number(m.value)]))).toEqual({
      bad_origin: 1,
      bad_host: 1,
    });
  });
});

describe('tokens and roles', () => {
  it('with --require-token: no token 401, a read token reads but cannot change, an admin token changes; revoking counts at once', async () => {
    const read = runtime.store.tokens.issue('reader', 'read', Date.now());
    const admin = runtime.store.tokens.issue('ops', 'admin', Date.now());
    await serve({ requireToken: true });
    expectRefused(await call('series:list', undefined), 401, /needs a token/);
    expectRefused(
      await call('series:list', undefined, { Authorization: 'Bearer ck_not-a-token' }),
      401,
      /not valid here/,
    );
    expect((await request('GET', '/healthz')).status).toBe(200);
    expect((await request('GET', '/api/v3/ping')).status).toBe(401);

    const asReader = { Authorization: `Bearer ${read}` };
    expect((await call('series:list', undefined, asReader)).status).toBe(200);
    expect((await request('GET', '/api/v3/ping', asReader)).status).toBe(200);
    expect((await request('GET', '/metrics', asReader)).status).toBe(200);
    expectRefused(
      await call('series:pause', { seriesId }, asReader),
      403,
      /^a read token cannot call series:pause, which changes things: use an admin token$/,
    );
    expectRefused(await call('audit:list', {}, asReader), 403, /admin tokens only/);
    expect(enabled()).toBe(true);

    const asAdmin = { Authorization: `Bearer ${admin}` };
    expect((await call('series:pause', { seriesId }, asAdmin)).status).toBe(200);
    expect(enabled()).toBe(false);
    const log = JSON.parse((await call('audit:list', {}, asAdmin)).text).result as Array<{
      actor: string;
      channel: string;
      outcome: string;
    }>;
    expect(log.slice(0, 3).map((r) => [r.actor, r.channel, r.outcome])).toEqual([
      ['token:ops', 'series:pause', 'ok'],
      ['token:reader', 'audit:list', 'refused'],
      ['token:reader', 'series:pause', 'refused'],
    ]);

    runtime.store.tokens.revoke('ops');
    expectRefused(await call('series:resume', { seriesId }, asAdmin), 401, /unknown or revoked/);
    expect(enabled()).toBe(false);
    expect(runtime.store.tokens.list().find((t) => t.name === 'reader')!.lastUsedAt).not.toBeNull();
    const reasons = runtime.store.audit.list({ outcome: 'refused' }).map((r) => r.reason!.split(':')[0]);
    expect(reasons.filter((r) => r === 'missing token')).toHaveLength(2);
    expect(reasons.filter((r) => r === 'wrong token')).toHaveLength(2);
    expect(reasons.filter((r) => r === 'wrong role')).toHaveLength(2);
  });

  it('lets the dashboard in with ?token= once, then by its HttpOnly SameSite=Strict cookie', async () => {
    const admin = runtime.store.tokens.issue('browser', 'admin', Date.now());
    await serve({ requireToken: true });
    const first = await request('GET', `/?token=${encodeURIComponent(admin)}`);
    expect(first.status).not.toBe(401);
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const asBrowser = { Cookie: cookie.split(';')[0]!, Origin: `http://127.0.0.1:${server.port}` };
    expect((await call('series:pause', { seriesId }, asBrowser)).status).toBe(200);
    expect(runtime.store.audit.list({ outcome: 'ok' })[0]).toMatchObject({
      actor: 'token:browser',
      channel: 'series:pause',
    });
    expect((await upgrade(asBrowser)).status).toBe(101);
    // Only a token that let the request in becomes the cookie.
    expect(
      (await request('GET', '/?token=ck_bogus', { Authorization: `Bearer ${admin}` })).headers['set-cookie'],
    ).toBeUndefined();
  });

  it('keeps --token as an admin token for the run, and starts on a non-loopback address only with a token', async () => {
    await expect(serveRuntime(runtime, { staticDir: dir.dir, host: '0.0.0.0', port: 0 })).rejects.toThrow(/tokens add/);
    runtime.store.tokens.issue('lan', 'read', Date.now());
    await serve({ host: '0.0.0.0', token: 'a-long-enough-run-token' });
    expectRefused(await call('series:list', undefined), 401, /needs a token/);
    expect((await call('series:pause', { seriesId }, { Authorization: 'Bearer a-long-enough-run-token' })).status).toBe(
      200,
    );
    expect(runtime.store.audit.list({ outcome: 'ok' })[0]).toMatchObject({
      actor: 'token:--token',
      channel: 'series:pause',
    });
  });
});

describe('audit log', () => {
  it('records key changes without the key, and settings changes, through HTTP', async () => {
    await serve();
    const key = 'CG-audit-secret-0123456789';
    expect((await call('keys:set', { name: 'coingecko.apiKey', value: key })).status).toBe(200);
    expect((await call('keys:clear', { name: 'coingecko.apiKey' })).status).toBe(200);
    expect(
      (
        await call('settings:update', {
          patch: { audit: { retentionDays: 30 }, alerts: { webhookUrl: 'https://hooks.example/T0/secret-path' } },
        })
      ).status,
    ).toBe(200);
    expect((await call('series:remove', { seriesId: 999 })).status).toBe(400);
    const rows = runtime.store.audit.list();
    expect(JSON.stringify(rows)).not.toContain(key);
    expect(JSON.stringify(rows)).not.toContain('secret-path');
    expect(rows.map((r) => [r.channel, r.outcome])).toEqual([
      ['series:remove', 'error'],
      ['settings:update', 'ok'],
      ['keys:clear', 'ok'],
      ['keys:set', 'ok'],
    ]);
    expect(rows[3]!.args).toEqual({ name: 'coingecko.apiKey', value: '[redacted]' });
    expect(rows[0]!.reason).toMatch(/no series/);
    expect(runtime.store.settings.get().audit.retentionDays).toBe(30);
  });
});
