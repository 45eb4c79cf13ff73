/** The HTTP routes `serve` adds beside the contract: the local candle API and export downloads. */
import type http from 'node:http';
import type { Store } from '../store/store.js';
import type { Clock } from '../net/clock.js';
import type { Reads } from './reads.js';
import { exportRoute } from './export-route.js';

export type HttpRoute = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => boolean;

function unknownError(message: string): string {
  return JSON.stringify({ code: -1000, msg: `An unknown error occurred while processing the request: ${message}` });
}

/** GET /api/v3/* (the local candle API, candle-api.ts); the contract's POST /api/<channel> is left alone. */
export function candleApiRoute(reads: Reads, clock: Clock): HttpRoute {
  return (req, res, url) => {
    if (!url.pathname.startsWith('/api/v3/')) return false;
    reads.api(req.method ?? 'GET', url.pathname, url.search, clock.now()).then(
      (answer) => {
        send(res, answer.status, answer.body);
        // The body's memory is reused once the response is written out (or abandoned).
        if (answer.release) {
          if (res.writableFinished || res.destroyed) answer.release();
          else onceDone(res, answer.release);
        }
      },
      // The read itself answers its errors; this is its thread failing under it (the same body as a read error).
      (err: Error) => send(res, 500, unknownError(err.message)),
    );
    return true;
  };
}

function onceDone(res: http.ServerResponse, done: () => void): void {
  let called = false;
  const once = (): void => {
    if (called) return;
    called = true;
    done();
  };
  res.once('finish', once);
  res.once('close', once);
}

function send(res: http.ServerResponse, status: number, body: string | Uint8Array): void {
  if (res.destroyed) return;
  res.writeHead(status, {
    'Content-Type': 'application/json;charset=UTF-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

export function localRoutes(store: Store, clock: Clock, reads: Reads): HttpRoute[] {
  return [candleApiRoute(reads, clock), exportRoute(store, reads)];
}
