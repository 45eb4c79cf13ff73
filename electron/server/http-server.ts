/**
 * The headless transport: HTTP + WebSocket over the same handlers as Electron IPC.
 *   GET  /healthz              liveness (always open, even with a token; the Host is still checked)
 *   GET  /readyz               readiness: database open, engine running (503 otherwise)
 *   GET  /metrics              Prometheus text format
 *   extra routes               (the local candle API's GET /api/v3/*, GET /export) before the contract
 *   POST /api/<channel>        JSON body = args; answers the envelope
 *   GET  /ws                   WebSocket: {id, channel, args} -> {id, result|error}; pushes {event, payload}
 *   GET  /ws/<stream>, /stream extra sockets (the local kline streams), any admitted caller
 *   GET  /*                    the built dashboard (out/renderer)
 * Every request passes the request guard first (its Host, and its Origin where a page could act
 * through it), then the authenticator (the token, when one is required or given); each refusal is a
 * one-line JSON error and an audit row. Roles are checked per channel in guarded-dispatch.
 */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventBus } from '../../shared/event-bus.js';
import { subscribePaced } from './push-pacer.js';
import { callChannel, FORBIDDEN, type GuardedApi } from './guarded-dispatch.js';
import { RequestGuard, type Refusal } from './request-guard.js';
import { TOKEN_COOKIE, type Authenticator, type TokenSource } from './auth.js';
import type { Caller } from './caller.js';

export interface ServerOptions {
  /** The contract's handlers, with the audit recorder every change and refusal goes to. */
  api: GuardedApi;
  events: EventBus;
  /** Folder of the built renderer (index.html and assets). */
  staticDir: string;
  host?: string;
  port?: number;
  /** Who calls, from their token. */
  auth: Authenticator;
  /** Extra names the server answers to (`--allow-host`) and origins whose pages may call it (`--allow-origin`). */
  allowHosts?: string[];
  allowOrigins?: string[];
  /** Readiness checks for /readyz. */
  readiness?: () => { ready: boolean; checks: Record<string, string> };
  /** The /metrics body. */
  metrics?: () => string;
  /** Extra routes tried before the dashboard; a route returns true when it answered. */
  routes?: Array<(req: http.IncomingMessage, res: http.ServerResponse, url: URL) => boolean>;
  /** Extra WebSocket endpoints (the local kline streams), admitted like every other request. */
  sockets?: { handles: (pathname: string) => boolean; attach: (ws: WebSocket, url: URL) => void };
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** Strict CSP for the dashboard: our own scripts only, WebSocket back to this origin. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const MAX_BODY = 1 << 20;

function json(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/** An upgrade refused with the same one-line JSON error as a plain request. */
function refuseUpgrade(socket: Duplex, refusal: Refusal): void {
  const text = JSON.stringify(refusalError(refusal));
  const status = refusal.status === 401 ? '401 Unauthorized' : '403 Forbidden';
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
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

/** A path segment as sent; a malformed escape is kept raw rather than thrown (it names no channel either way). */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** What an audit row calls a request: the contract channel, `ws`, or method and path (bounded: paths are the sender's). */
function channelOf(req: http.IncomingMessage, url: URL): string {
  if (url.pathname.startsWith('/api/') && !url.pathname.startsWith('/api/v3/'))
    return decoded(url.pathname.slice('/api/'.length)).slice(0, 200);
  if (url.pathname.startsWith('/ws/') || url.pathname === '/stream') return 'kline streams';
  if (url.pathname === '/ws') return 'ws';
  return `${(req.method ?? 'GET').slice(0, 20)} ${url.pathname.slice(0, 200)}`;
}

/** Pages can act through these; a plain GET of the dashboard or the candle API reveals nothing to another origin without CORS headers. */
function needsOriginCheck(req: http.IncomingMessage, url: URL): boolean {
  return (
    (req.method !== 'GET' && req.method !== 'HEAD') ||
    url.pathname === '/ws' ||
    url.pathname.startsWith('/ws/') ||
    url.pathname === '/stream' ||
    url.pathname === '/export' ||
    (url.pathname.startsWith('/api/') && !url.pathname.startsWith('/api/v3/'))
  );
}

const refusalError = (r: Refusal): { error: { name: string; message: string } } => ({
  error: { name: r.status === 401 ? 'Unauthorized' : 'Forbidden', message: r.message },
});

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { api, events, auth } = options;
  const started = Date.now();
  let listeningPort = options.port ?? 0;
  const guard = new RequestGuard({
    bindHost: options.host ?? '127.0.0.1',
    port: () => listeningPort,
    allowHosts: options.allowHosts,
    allowOrigins: options.allowOrigins,
  });

  const refused = (req: http.IncomingMessage, url: URL, refusal: Refusal, actor = 'anonymous'): Refusal => {
    api.audit.record({
      actor,
      remote: req.socket.remoteAddress ?? null,
      channel: channelOf(req, url),
      outcome: 'refused',
      reason: `${refusal.reason.replaceAll('_', ' ')}: ${refusal.message}`,
    });
    api.onRefused?.(refusal.reason);
    return refusal;
  };

  /** The guard and the token, in order; a caller, or the refusal already recorded. */
  const admit = (
    req: http.IncomingMessage,
    url: URL,
    checkToken: boolean,
  ): { caller: Caller | null; via?: TokenSource | null } | { refusal: Refusal } => {
    const host = guard.checkHost(req.headers.host);
    if (host) return { refusal: refused(req, url, host) };
    if (needsOriginCheck(req, url)) {
      const origin = guard.checkOrigin(req.headers.origin, req.headers.host);
      if (origin) return { refusal: refused(req, url, origin) };
    }
    if (!checkToken) return { caller: null };
    const identity = auth.identify(req, url);
    if ('refusal' in identity) return { refusal: refused(req, url, identity.refusal) };
    return identity;
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const admitted = admit(req, url, url.pathname !== '/healthz');
    if ('refusal' in admitted) {
      const headers: http.OutgoingHttpHeaders = admitted.refusal.status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {};
      return json(res, admitted.refusal.status, refusalError(admitted.refusal), headers);
    }
    if (url.pathname === '/healthz')
      return json(res, 200, { status: 'ok', uptimeSec: Math.round((Date.now() - started) / 1000) });
    const caller = admitted.caller!;
    if (admitted.via === 'query') {
      res.setHeader(
        'Set-Cookie',
        `${TOKEN_COOKIE}=${encodeURIComponent(url.searchParams.get('token')!)}; HttpOnly; SameSite=Strict; Path=/`,
      );
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
      if (req.method !== 'POST')
        return json(res, 405, { error: { name: 'ApiError', message: 'use POST with a JSON body' } });
      const notJson = guard.checkJsonBody(req.headers['content-type']);
      if (notJson) return json(res, notJson.status, refusalError(refused(req, url, notJson, caller.actor)));
      const channel = decoded(url.pathname.slice('/api/'.length));
      readJson(req)
        .then((args) => callChannel(api, caller, channel, args))
        .then((envelope) =>
          json(res, 'error' in envelope ? (envelope.error.name === FORBIDDEN ? 403 : 400) : 200, envelope),
        )
        .catch((err: Error) =>
          json(res, 400, { error: { name: 'ApiError', message: `bad request body: ${err.message}` } }),
        );
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'method not allowed' });
    serveStatic(options.staticDir, url.pathname, res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const extra = url.pathname !== '/ws' && options.sockets?.handles(url.pathname) ? options.sockets : null;
    if (url.pathname !== '/ws' && !extra) return socket.destroy();
    const admitted = admit(req, url, true);
    if ('refusal' in admitted) return refuseUpgrade(socket, admitted.refusal);
    wss.handleUpgrade(req, socket, head, (ws) => (extra ? extra.attach(ws, url) : attach(ws, admitted.caller!)));
  });

  const attach = (ws: WebSocket, caller: Caller): void => {
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
        callChannel(api, caller, String(msg.channel), msg.args)
          .then((envelope) => {
            if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: msg.id, ...envelope }));
          })
          // The call itself answers errors as data; this is the socket failing mid-answer: nobody is left to tell.
          .catch(() => ws.terminate());
      });
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  listeningPort = port;
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
