/**
 * The headless transport: HTTP + WebSocket over the same handlers as Electron IPC.
 *   GET  /healthz              liveness (always open, even with a token)
 *   GET  /readyz               readiness: database open, engine running (503 otherwise)
 *   GET  /metrics              Prometheus text format
 *   extra routes               (the local candle API's GET /api/v3/*, GET /export) before the contract
 *   POST /api/<channel>        JSON body = args; answers the envelope
 *   GET  /ws                   WebSocket: {id, channel, args} -> {id, result|error}; pushes {event, payload}
 *   GET  /*                    the built dashboard (out/renderer)
 * With a token every request but /healthz must carry it: `Authorization: Bearer T`, `?token=T`
 * (the dashboard's first load, which then sets an HttpOnly cookie for its assets and WebSocket).
 */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { dispatch, type Handlers } from './api.js';
import type { EventBus } from './event-bus.js';
import { subscribePaced } from './push-pacer.js';

export interface ServerOptions {
  handlers: Handlers;
  events: EventBus;
  /** Folder of the built renderer (index.html and assets). */
  staticDir: string;
  host?: string;
  port?: number;
  /** Required on every request but /healthz when set (serve refuses a non-loopback bind without one). */
  token?: string;
  /** Readiness checks for /readyz. */
  readiness?: () => { ready: boolean; checks: Record<string, string> };
  /** The /metrics body. */
  metrics?: () => string;
  /** Extra routes tried before the dashboard; a route returns true when it answered. */
  routes?: Array<(req: http.IncomingMessage, res: http.ServerResponse, url: URL) => boolean>;
}

const COOKIE = 'candlekeep_token';

function tokenOf(req: http.IncomingMessage, url: URL): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const query = url.searchParams.get('token');
  if (query) return query;
  const cookie = (req.headers.cookie ?? '').split(';').map((c) => c.trim()).find((c) => c.startsWith(`${COOKIE}=`));
  return cookie ? decodeURIComponent(cookie.slice(COOKIE.length + 1)) : null;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2',
};

/** Strict CSP for the dashboard: our own scripts only, WebSocket back to this origin. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const MAX_BODY = 1 << 20;

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  return text ? JSON.parse(text) : undefined;
}

function serveStatic(staticDir: string, pathname: string, res: http.ServerResponse): void {
  const root = path.resolve(staticDir);
  let file = path.resolve(root, `.${decodeURIComponent(pathname)}`);
  if (!file.startsWith(root)) return json(res, 403, { error: 'forbidden' });
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html');
  if (!fs.existsSync(file)) {
    res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('The dashboard is not built: run `npm run build`, then start the server again.\n');
    return;
  }
  const isIndex = file.endsWith('index.html');
  res.writeHead(200, {
    'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': isIndex ? 'no-cache' : 'public, max-age=31536000, immutable',
  });
  fs.createReadStream(file).pipe(res);
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { handlers, events } = options;
  const started = Date.now();
  const authorized = (req: http.IncomingMessage, url: URL): boolean => {
    if (!options.token) return true;
    const given = tokenOf(req, url);
    return given !== null && sameSecret(given, options.token);
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.pathname === '/healthz') return json(res, 200, { status: 'ok', uptimeSec: Math.round((Date.now() - started) / 1000) });
    if (!authorized(req, url)) {
      return json(res, 401, { error: { name: 'Unauthorized', message: 'this Candlekeep server needs its token: send Authorization: Bearer <token> or open the dashboard with ?token=<token>' } });
    }
    if (options.token && url.searchParams.get('token')) {
      res.setHeader('Set-Cookie', `${COOKIE}=${encodeURIComponent(options.token)}; HttpOnly; SameSite=Strict; Path=/`);
    }
    if (url.pathname === '/readyz') {
      const r = options.readiness?.() ?? { ready: true, checks: {} };
      return json(res, r.ready ? 200 : 503, { status: r.ready ? 'ready' : 'not ready', checks: r.checks });
    }
    if (url.pathname === '/metrics' && options.metrics) {
      let body: string;
      try {
        body = options.metrics();
      } catch (err) {
        return json(res, 503, { error: { name: 'MetricsUnavailable', message: (err as Error).message } });
      }
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Cache-Control': 'no-store' });
      return res.end(body);
    }
    for (const route of options.routes ?? []) if (route(req, res, url)) return;
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return json(res, 405, { error: { name: 'ApiError', message: 'use POST with a JSON body' } });
      const channel = decodeURIComponent(url.pathname.slice('/api/'.length));
      readJson(req)
        .then((args) => dispatch(handlers, channel, args))
        .then((envelope) => json(res, 'error' in envelope ? 400 : 200, envelope))
        .catch((err: Error) => json(res, 400, { error: { name: 'ApiError', message: `bad request body: ${err.message}` } }));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'method not allowed' });
    serveStatic(options.staticDir, url.pathname, res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.pathname !== '/ws') return socket.destroy();
    if (!authorized(req, url)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return socket.destroy();
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  const attach = (ws: WebSocket): void => {
    const unsubscribe = subscribePaced(events, (e) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(e));
    });
    ws.on('close', unsubscribe);
    ws.on('message', (data) => {
      let msg: { id?: unknown; channel?: unknown; args?: unknown };
      try {
        msg = JSON.parse(String(data));
      } catch {
        return ws.send(JSON.stringify({ id: null, error: { name: 'ApiError', message: 'messages must be JSON' } }));
      }
      // Each call in its own turn: frames read together must not make a cheap call wait for a slow one.
      setImmediate(() => {
        dispatch(handlers, String(msg.channel), msg.args).then((envelope) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: msg.id, ...envelope }));
        });
      });
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
