/**
 * The exchange simulator: one local HTTP server (on one or more ports, each standing for one of a
 * venue's equivalent hosts) speaking each supported API's real wire format (docs/ARCHITECTURE.md "The
 * simulator"). Venues live under path prefixes (/binance, ...); the control API under /_sim lets
 * tests read the request log and ground truth, inject faults and change limits at run time.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ASSETS, syntheticAssets } from './instruments.js';
import { BinanceStreams } from './binance-streams.js';
import { VenueTruth, type CacheLimits } from './truth.js';
import { BinanceBudget } from './binance-budget.js';
import { handleBinance, type BinanceContext } from './binance-routes.js';
import { COINGECKO_SIM_LIMITS, handleCoinGecko, type CoinGeckoContext } from './coingecko-routes.js';
import { handleYahoo, type YahooContext } from './yahoo-routes.js';
import { YahooInstrument } from './yahoo-truth.js';
import { RequestLog } from './request-log.js';
import { type SimRequest, type SimResponse } from './http-util.js';
import { handleControl } from './control-routes.js';
import { BinanceArchive } from './archive-routes.js';
import { FaultInjector } from './faults.js';
import { deliver } from './delivery.js';
import { withCandleFaults } from './candle-faults.js';
import { systemClock, type Clock } from '../net/clock.js';

export interface SimulatorOptions {
  seed?: number;
  clock?: Clock;
  /** First port (0: any free one). */
  port?: number;
  /** How many equivalent hosts (ports) to serve. */
  hosts?: number;
  host?: string;
  /** Enforce Binance's weight budget (default true). */
  enforceBudget?: boolean;
  /** Binance REQUEST_WEIGHT per minute (default 6000, as production). */
  weightLimit?: number;
  /** Fault profile: none, flaky, hostile. */
  faults?: string;
  /** Bounds on the generated data kept for reuse, per instrument (VenueTruth.cacheLimits). */
  cacheLimits?: CacheLimits;
  /** Wall-clock delay before each venue answer (ms), to stand for a real network's round trip. */
  latencyMs?: number;
  /** Synthetic Binance listings added to the catalog (SYN0001USDT, ...), for tests of many series. */
  symbols?: number;
}

/** What a venue handler returns: the answer and the weight it cost. */
export interface VenueAnswer {
  response: SimResponse;
  weight: number;
  /** Something worth knowing in the request log (e.g. a 429 to a request already in flight). */
  note?: string;
}

export type VenueHandler = (req: SimRequest, ip: string) => VenueAnswer | Promise<VenueAnswer>;

export interface Simulator {
  /** Base URL of the first host, e.g. http://127.0.0.1:4567 */
  url: string;
  /** Base URLs of every host. */
  urls: string[];
  port: number;
  seed: number;
  clock: Clock;
  log: RequestLog;
  faults: FaultInjector;
  binance: BinanceContext;
  /** Binance's WebSocket market streams under /binance/ws and /binance/stream. */
  streams: BinanceStreams;
  /** Binance's public data archive (data.binance.vision) under /binance-data. */
  archive: BinanceArchive;
  /** CoinGecko venue state (coins' truth, per-plan call limits, plans seen). */
  coingecko: CoinGeckoContext;
  /** Yahoo venue state (symbols' truth, call limit). */
  yahoo: YahooContext;
  /** Take one host (port, as a string) down for `durationMs` of simulator time (0 ends an outage). */
  outage(host: string, durationMs: number): void;
  /**
   * Connections and requests refused by a host in an outage so far. They never reach a venue, so the
   * request log has no entry for them; this is how a test sees that a client was turned away.
   */
  readonly refused: number;
  /** Ground truth of one venue's instrument (throws for an unknown one). */
  truth(venue: 'binance', symbol: string): VenueTruth;
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const seed = options.seed ?? 1;
  const clock = options.clock ?? systemClock;
  const log = new RequestLog();
  const faults = new FaultInjector(seed);
  if (options.faults) faults.setProfile(options.faults);
  const outages = new Map<string, number>();
  const binance: BinanceContext = {
    clock,
    budget: new BinanceBudget(clock, options.weightLimit ?? 6000, options.enforceBudget ?? true),
    symbols: new Map(
      [...ASSETS, ...syntheticAssets(options.symbols ?? 0)]
        .filter((a) => a.binance)
        .map((a) => [a.binance!.symbol, new VenueTruth(seed, 'binance', a)]),
    ),
  };
  const streams = new BinanceStreams(binance, faults, log, clock);
  const coingecko: CoinGeckoContext = {
    clock,
    coins: new Map(
      ASSETS.filter((a) => a.coingecko).map((a) => [a.coingecko!.id, new VenueTruth(seed, 'coingecko', a)]),
    ),
    limits: { ...COINGECKO_SIM_LIMITS },
    usage: new Map(),
    plans: [],
  };
  if (options.cacheLimits)
    for (const truth of [...binance.symbols.values(), ...coingecko.coins.values()])
      truth.cacheLimits = options.cacheLimits;
  const yahoo: YahooContext = {
    clock,
    symbols: new Map(ASSETS.filter((a) => a.yahoo).map((a) => [a.yahoo!.symbol, new YahooInstrument(seed, a)])),
    limitPerMinute: 2_000,
    usage: new Map(),
  };
  const archive = new BinanceArchive(seed, binance.symbols, clock);
  const venues = new Map<string, VenueHandler>([
    ['binance-data', async (req) => ({ response: await archive.handle(req), weight: 0 })],
    ['binance', (req, ip) => handleBinance(binance, req, ip)],
    ['coingecko', (req, ip) => handleCoinGecko(coingecko, req, ip)],
    ['yahoo', (req, ip) => handleYahoo(yahoo, req, ip)],
  ]);

  const sockets = new Set<Socket>();
  let refused = 0;
  const inOutage = (host: string): boolean => (outages.get(host) ?? 0) > clock.now();
  const outage = (host: string, durationMs: number): void => {
    if (durationMs <= 0) return void outages.delete(host);
    outages.set(host, clock.now() + durationMs);
    for (const socket of sockets) if (String(socket.localPort) === host) socket.destroy();
  };
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const ip = req.socket.remoteAddress ?? 'unknown';
    const host = String(req.socket.localPort ?? '');
    if (inOutage(host) && !url.pathname.startsWith('/_sim/')) {
      refused++;
      return void req.socket.destroy();
    }
    const [, venue = '', ...rest] = url.pathname.split('/');
    const simReq: SimRequest = {
      method: req.method ?? 'GET',
      path: `/${rest.join('/')}`,
      query: url.searchParams,
      raw: req,
    };
    if (venue === '_sim') {
      handleControl(sim, simReq).then(
        (out) => deliver(res, out, null),
        (err: Error) => deliver(res, { status: 500, body: { error: err.message } }, null),
      );
      return;
    }
    const handler = venues.get(venue);
    const fault = handler ? faults.decide(url.pathname, host) : null;
    if (fault?.kind === 'rate_limit_storm')
      binance.budget.stormUntil = Math.max(binance.budget.stormUntil, clock.now() + (fault.durationMs ?? 10_000));
    if (fault?.kind === 'outage') outage(host, fault.durationMs ?? 10_000);
    const answer = async (): Promise<VenueAnswer> =>
      handler ? handler(simReq, ip) : { response: { status: 404, body: '' }, weight: 0 };
    const delayed = options.latencyMs
      ? answer().then((out) => new Promise<VenueAnswer>((r) => setTimeout(() => r(out), options.latencyMs)))
      : answer();
    delayed
      .then((out) => {
        // A 429/418 always reaches the client intact: hiding it would make the client look guilty.
        const limited = out.response.status === 429 || out.response.status === 418;
        const applied = fault && fault.kind !== 'rate_limit_storm' && !limited ? fault : null;
        // Bad candles inside a good answer (candle-faults.ts), unless the answer is replaced anyway.
        const spoiled = applied
          ? { response: out.response, applied: [] }
          : withCandleFaults(faults, url.pathname, host, url.searchParams, out.response, clock.now());
        log.add({
          at: clock.now(),
          wallAt: Date.now(),
          host,
          method: simReq.method,
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          status: applied ? faultStatus(applied.kind, applied.status) : out.response.status,
          weight: out.weight,
          fault: applied?.kind ?? (spoiled.applied.join(',') || out.note),
          retryAfter: limited ? Number(out.response.headers?.['Retry-After']) : undefined,
        });
        deliver(res, spoiled.response, applied);
      })
      .catch((err: Error) => {
        // A handler's own bug: a 500, as a broken venue would answer, rather than a hung request.
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(`simulator error: ${err.message}`);
      });
  };

  const servers: http.Server[] = [];
  const urls: string[] = [];
  for (let i = 0; i < Math.max(1, options.hosts ?? 1); i++) {
    const server = http.createServer(onRequest);
    server.keepAliveTimeout = 30_000;
    server.on('upgrade', (req: http.IncomingMessage, socket: Socket, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://sim');
      const host = String(socket.localPort ?? '');
      if (inOutage(host) || !url.pathname.startsWith('/binance/')) return void socket.destroy();
      if (!streams.upgrade(req, socket, head, url.pathname.slice('/binance'.length), url.searchParams, host))
        socket.destroy();
    });
    server.on('connection', (socket) => {
      // A host in an outage accepts no connection (and drops the ones it had).
      if (inOutage(String(socket.localPort))) {
        refused++;
        return socket.destroy();
      }
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(i === 0 ? (options.port ?? 0) : 0, options.host ?? '127.0.0.1', resolve);
    });
    servers.push(server);
    urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }

  const sim: Simulator = {
    url: urls[0]!,
    urls,
    port: (servers[0]!.address() as AddressInfo).port,
    seed,
    clock,
    log,
    faults,
    binance,
    streams,
    archive,
    coingecko,
    yahoo,
    outage,
    get refused() {
      return refused;
    },
    truth(venue, symbol) {
      const truth = venue === 'binance' ? binance.symbols.get(symbol) : undefined;
      if (!truth) throw new Error(`the simulator has no ${venue} instrument ${symbol}`);
      return truth;
    },
    close: async () => {
      streams.close();
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
  return sim;
}

/** The status the client sees for a fault that replaces the answer (0: no HTTP answer at all). */
function faultStatus(kind: string, status?: number): number {
  if (kind === 'server_error') return status ?? 503;
  if (kind === 'reset' || kind === 'hang' || kind === 'outage') return 0;
  return 200;
}
