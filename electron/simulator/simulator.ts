/**
 * The exchange simulator: one local HTTP server speaking each supported API's real wire format
 * (DESIGN.md "The exchange simulator"). Venues live under path prefixes (/binance, ...); the
 * control API under /_sim lets tests read the request log and the ground truth.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ASSETS } from './instruments.js';
import { VenueTruth } from './truth.js';
import { BinanceBudget } from './binance-budget.js';
import { handleBinance, type BinanceContext } from './binance-routes.js';
import { RequestLog } from './request-log.js';
import { send, type SimRequest, type SimResponse } from './http-util.js';
import { handleControl } from './control-routes.js';
import { systemClock, type Clock } from '../engine/clock.js';

export interface SimulatorOptions {
  seed?: number;
  clock?: Clock;
  port?: number;
  host?: string;
  /** Enforce Binance's weight budget (default true). */
  enforceBudget?: boolean;
}

export interface Simulator {
  /** Base URL, e.g. http://127.0.0.1:4567 */
  url: string;
  port: number;
  seed: number;
  clock: Clock;
  log: RequestLog;
  binance: BinanceContext;
  /** Ground truth of one venue's instrument (throws for an unknown one). */
  truth(venue: 'binance', symbol: string): VenueTruth;
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const seed = options.seed ?? 1;
  const clock = options.clock ?? systemClock;
  const log = new RequestLog();
  const binance: BinanceContext = {
    clock,
    budget: new BinanceBudget(clock, 6000, options.enforceBudget ?? true),
    symbols: new Map(
      ASSETS.filter((a) => a.binance).map((a) => [a.binance!.symbol, new VenueTruth(seed, 'binance', a)]),
    ),
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const ip = req.socket.remoteAddress ?? 'unknown';
    const host = String(req.socket.localPort ?? '');
    const [, venue = '', ...rest] = url.pathname.split('/');
    const simReq: SimRequest = { method: req.method ?? 'GET', path: `/${rest.join('/')}`, query: url.searchParams, raw: req };
    const finish = (response: SimResponse, weight = 0): void => {
      log.add({
        at: clock.now(), wallAt: Date.now(), host, method: simReq.method, path: url.pathname,
        query: Object.fromEntries(url.searchParams), status: response.status, weight,
      });
      send(res, response);
    };
    if (venue === 'binance') {
      const { response, weight } = handleBinance(binance, simReq, ip);
      return finish(response, weight);
    }
    if (venue === '_sim') {
      handleControl(sim, simReq).then(send.bind(null, res), (err: Error) => send(res, { status: 500, body: { error: err.message } }));
      return;
    }
    finish({ status: 404, body: '' });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;

  const sim: Simulator = {
    url: `http://127.0.0.1:${port}`,
    port,
    seed,
    clock,
    log,
    binance,
    truth(venue, symbol) {
      const truth = venue === 'binance' ? binance.symbols.get(symbol) : undefined;
      if (!truth) throw new Error(`the simulator has no ${venue} instrument ${symbol}`);
      return truth;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return sim;
}
