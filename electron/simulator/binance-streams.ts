/**
 * Binance's market data WebSocket streams as the simulator serves them under /binance/ws/<stream>
 * and /binance/stream?streams=a/b (docs/SOURCES.md "Binance kline streams"): kline updates every 2 s
 * of simulator time with the forming candle, a closing `x:true` message at each close, SUBSCRIBE /
 * UNSUBSCRIBE / LIST_SUBSCRIPTIONS, pings the client must answer, the limits on streams per
 * connection and messages per second, the 24-hour close, and stream faults (faults.ts).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Clock } from '../net/clock.js';
import type { BinanceContext } from './binance-routes.js';
import type { FaultInjector, FaultRule } from './faults.js';
import type { RequestLog } from './request-log.js';
import { combined, klineEvent } from './binance-stream-wire.js';
import { isTimeframe, floorToTimeframe, type Timeframe } from '../../shared/timeframe.js';

/** Documented limits of the spot streams (docs/SOURCES.md "Binance kline streams"). */
export const STREAM_LIMITS = {
  updateMs: 2_000,
  pingEveryMs: 20_000,
  pongWithinMs: 60_000,
  lifetimeMs: 24 * 3_600_000,
  streamsPerConnection: 1024,
  messagesPerSecond: 5,
};

interface Subscription {
  symbol: string;
  tf: Timeframe;
  /** Open time of the candle last sent as forming (null: none yet). */
  lastOpen: number | null;
}

interface Connection {
  ws: WebSocket;
  host: string;
  path: string;
  combined: boolean;
  streams: Map<string, Subscription>;
  openedAt: number;
  lastPingAt: number;
  lastPongAt: number;
  stalledUntil: number;
  /** Messages held back by an out-of-order fault, sent after the next update's. */
  heldBack: string[];
  /** Arrival times of the client's recent messages (the per-second limit). */
  incoming: number[];
}

export interface StreamStats {
  connections: number;
  subscriptions: number;
  /** Messages written since the simulator started. */
  sent: number;
  closedForPong: number;
  closedForAge: number;
  closedForRate: number;
}

export class BinanceStreams {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly connections = new Set<Connection>();
  private readonly stop = new AbortController();
  readonly stats: StreamStats = {
    connections: 0,
    subscriptions: 0,
    sent: 0,
    closedForPong: 0,
    closedForAge: 0,
    closedForRate: 0,
  };

  constructor(
    private readonly ctx: BinanceContext,
    private readonly faults: FaultInjector,
    private readonly log: RequestLog,
    private readonly clock: Clock,
  ) {
    void this.loop();
  }

  /** Take an HTTP upgrade for `path` (below /binance); false when the path is no stream endpoint. */
  upgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    path: string,
    query: URLSearchParams,
    host: string,
  ): boolean {
    const isCombined = path === '/stream';
    // A path name that is no stream (ccxt.pro opens /ws/0, then subscribes) starts with none.
    const raw = path.startsWith('/ws/')
      ? [path.slice(4)].filter((n) => n.includes('@'))
      : path === '/ws'
        ? []
        : isCombined
          ? (query.get('streams') ?? '').split('/').filter(Boolean)
          : null;
    if (raw === null) return false;
    const streams = new Map<string, Subscription>();
    const bad = raw.find((name) => !this.parse(name));
    const fullPath = `/binance${path}`;
    this.log.add({
      at: this.clock.now(),
      wallAt: Date.now(),
      host,
      method: 'GET',
      path: fullPath,
      query: Object.fromEntries(query),
      status: bad ? 400 : 101,
      weight: 0,
      fault: undefined,
    });
    if (bad || raw.length > STREAM_LIMITS.streamsPerConnection) {
      socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
      return true;
    }
    for (const name of raw) streams.set(name, { ...this.parse(name)!, lastOpen: null });
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const now = this.clock.now();
      const conn: Connection = {
        ws,
        host,
        path: fullPath,
        combined: isCombined,
        streams,
        openedAt: now,
        lastPingAt: now,
        lastPongAt: now,
        stalledUntil: 0,
        heldBack: [],
        incoming: [],
      };
      this.connections.add(conn);
      ws.on('pong', () => (conn.lastPongAt = this.clock.now()));
      ws.on('message', (data) => this.onMessage(conn, String(data)));
      ws.on('close', () => this.connections.delete(conn));
      ws.on('error', () => this.connections.delete(conn));
    });
    return true;
  }

  private parse(name: string): { symbol: string; tf: Timeframe } | null {
    const match = /^([a-z0-9]+)@kline_([0-9]+[smhdwM])$/.exec(name);
    if (!match || !isTimeframe(match[2]!)) return null;
    const symbol = match[1]!.toUpperCase();
    return this.ctx.symbols.has(symbol) ? { symbol, tf: match[2] as Timeframe } : null;
  }

  private onMessage(conn: Connection, text: string): void {
    const now = this.clock.now();
    conn.incoming = conn.incoming.filter((t) => t > now - 1_000);
    conn.incoming.push(now);
    if (conn.incoming.length > STREAM_LIMITS.messagesPerSecond) {
      this.stats.closedForRate++;
      return conn.ws.close(1008, 'Too many requests');
    }
    let request: { method?: unknown; params?: unknown; id?: unknown };
    try {
      request = JSON.parse(text) as typeof request;
    } catch {
      return this.reply(conn, { error: { code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' } });
    }
    const id = typeof request.id === 'number' || typeof request.id === 'string' ? request.id : null;
    const params = Array.isArray(request.params) ? request.params.map(String) : [];
    this.log.add({
      at: now,
      wallAt: Date.now(),
      host: conn.host,
      method: String(request.method),
      path: conn.path,
      query: { params: params.join('/') },
      status: 200,
      weight: 0,
    });
    if (request.method === 'LIST_SUBSCRIPTIONS') return this.reply(conn, { result: [...conn.streams.keys()], id });
    if (request.method !== 'SUBSCRIBE' && request.method !== 'UNSUBSCRIBE')
      return this.reply(conn, { error: { code: 2, msg: 'Invalid request: unknown method' }, id });
    const invalid = params.find((p) => !this.parse(p));
    if (invalid !== undefined)
      return this.reply(conn, { error: { code: 2, msg: `Invalid request: unknown stream ${invalid}` }, id });
    if (request.method === 'UNSUBSCRIBE') {
      for (const p of params) conn.streams.delete(p);
      return this.reply(conn, { result: null, id });
    }
    const fresh = params.filter((p) => !conn.streams.has(p));
    if (conn.streams.size + fresh.length > STREAM_LIMITS.streamsPerConnection)
      return this.reply(conn, {
        error: {
          code: 2,
          msg: `Invalid request: at most ${STREAM_LIMITS.streamsPerConnection} streams per connection`,
        },
        id,
      });
    for (const p of fresh) conn.streams.set(p, { ...this.parse(p)!, lastOpen: null });
    this.reply(conn, { result: null, id });
  }

  private reply(conn: Connection, body: object): void {
    conn.ws.send(JSON.stringify(body));
  }

  /** Updates fall on multiples of 2 s of simulator time, so one lands on every candle's close. */
  private async loop(): Promise<void> {
    while (!this.stop.signal.aborted) {
      const now = this.clock.now();
      await this.clock.sleep(now - (now % STREAM_LIMITS.updateMs) + STREAM_LIMITS.updateMs - now, this.stop.signal);
      if (this.stop.signal.aborted) break;
      this.tick(this.clock.now());
    }
  }

  private tick(now: number): void {
    let subscriptions = 0;
    for (const conn of this.connections) {
      subscriptions += conn.streams.size;
      if (!this.keepAlive(conn, now)) continue;
      const { finals, forming } = this.updates(conn, now);
      const fault = this.faults.streamFault(conn.path, conn.host, finals.length > 0);
      if (fault?.kind === 'stream_drop') {
        conn.ws.terminate();
        continue;
      }
      if (fault?.kind === 'stream_stall') conn.stalledUntil = now + (fault.durationMs ?? 60_000);
      if (conn.stalledUntil > now) continue;
      this.deliver(conn, fault, finals, forming);
    }
    this.stats.connections = this.connections.size;
    this.stats.subscriptions = subscriptions;
  }

  /** Pings, the pong deadline and the 24-hour limit; false when the connection was closed. */
  private keepAlive(conn: Connection, now: number): boolean {
    if (now - conn.openedAt >= STREAM_LIMITS.lifetimeMs) {
      this.stats.closedForAge++;
      conn.ws.close(1000, 'connection lifetime reached');
      return false;
    }
    if (now - conn.lastPongAt > STREAM_LIMITS.pongWithinMs) {
      this.stats.closedForPong++;
      conn.ws.terminate();
      return false;
    }
    if (now - conn.lastPingAt >= STREAM_LIMITS.pingEveryMs) {
      conn.lastPingAt = now;
      conn.ws.ping(String(now));
    }
    return true;
  }

  /** This update's messages: closing ones for candles that closed since the last, then the forming ones. */
  private updates(conn: Connection, now: number): { finals: string[]; forming: string[] } {
    const finals: string[] = [];
    const forming: string[] = [];
    for (const [name, sub] of conn.streams) {
      const truth = this.ctx.symbols.get(sub.symbol)!;
      const open = floorToTimeframe(sub.tf, now);
      // The candle that closed since the last update (only that one, as a late update on Binance).
      if (sub.lastOpen !== null && sub.lastOpen < open) {
        const c = truth.candleAt(sub.tf, floorToTimeframe(sub.tf, open - 1), now);
        if (c?.closed) finals.push(this.frame(conn, name, klineEvent(sub.symbol, sub.tf, c, truth.priceDecimals, now)));
      }
      sub.lastOpen = open;
      const c = truth.candleAt(sub.tf, open, now);
      if (c) forming.push(this.frame(conn, name, klineEvent(sub.symbol, sub.tf, c, truth.priceDecimals, now)));
    }
    return { finals, forming };
  }

  private frame(conn: Connection, stream: string, event: string): string {
    return conn.combined ? combined(stream, event) : event;
  }

  private deliver(conn: Connection, fault: FaultRule | null, finals: string[], forming: string[]): void {
    if (fault?.kind === 'stream_missing_final') finals = finals.slice(1);
    let batch = [...finals, ...forming];
    if (fault?.kind === 'stream_duplicate') batch = batch.flatMap((m) => [m, m]);
    const held = conn.heldBack;
    conn.heldBack = [];
    if (fault?.kind === 'stream_out_of_order') {
      conn.heldBack = batch;
      batch = [];
    }
    for (const message of [...batch, ...held]) {
      conn.ws.send(message);
      this.stats.sent++;
    }
  }

  /** Resolves once every message written so far has left the simulator's buffers. */
  async flushed(): Promise<void> {
    for (let i = 0; i < 100 && [...this.connections].some((c) => c.ws.bufferedAmount > 0); i++)
      await new Promise((r) => setTimeout(r, 1));
  }

  close(): void {
    this.stop.abort();
    for (const conn of this.connections) conn.ws.terminate();
    this.wss.close();
  }
}
