/**
 * Binance's kline streams for every series kept live (docs/SOURCES.md "Binance kline streams"): the
 * streams are spread over as few connections as the 1024-per-connection limit allows, connections
 * are opened within the per-IP connection budget (300 per 5 minutes), shared through the process's
 * network like the REST weight. Which streams exist follows the series (`set`).
 */
import type { Clock } from '../net/clock.js';
import type { Network } from '../net/network.js';
import { DEFAULT_STREAM_TIMING, StreamConnection, type StreamTiming } from './binance-stream-connection.js';
import { klineStreamName } from './binance-stream-wire.js';
import type { KlineStream, KlineStreamHandlers, StreamKey, StreamStats } from './kline-stream.js';

export const BINANCE_STREAM_LIMITS = { streamsPerConnection: 1024, connections: { limit: 300, windowMs: 5 * 60_000 } };
const PUBLIC_STREAM_URL = 'wss://stream.binance.com:9443';

export interface BinanceStreamOptions {
  /** Base URL; `/stream` is appended (e.g. wss://stream.binance.com:9443, ws://127.0.0.1:N/binance). */
  url: string;
  clock: Clock;
  network: Network;
  handlers: KlineStreamHandlers;
  timing?: Partial<StreamTiming>;
  streamsPerConnection?: number;
}

export class BinanceKlineStreams implements KlineStream {
  private readonly connections: StreamConnection[] = [];
  private readonly keys = new Map<string, StreamKey>();
  private readonly timing: StreamTiming;

  constructor(private readonly options: BinanceStreamOptions) {
    this.timing = { ...DEFAULT_STREAM_TIMING, ...options.timing };
  }

  set(wanted: StreamKey[]): void {
    const next = new Map(wanted.map((k) => [klineStreamName(k), k]));
    const gone = [...this.keys.keys()].filter((n) => !next.has(n));
    for (const conn of this.connections) conn.remove(gone);
    for (const n of gone) this.keys.delete(n);
    const fresh = [...next.keys()].filter((n) => !this.keys.has(n));
    for (const n of fresh) this.keys.set(n, next.get(n)!);
    const per = this.options.streamsPerConnection ?? BINANCE_STREAM_LIMITS.streamsPerConnection;
    let i = 0;
    for (const conn of this.connections) {
      const room = per - conn.wanted.size;
      if (room > 0 && i < fresh.length) conn.add(fresh.slice(i, (i += room)));
    }
    while (i < fresh.length) {
      const conn = this.connect();
      conn.add(fresh.slice(i, (i += per)));
      conn.start();
    }
  }

  private connect(): StreamConnection {
    const { network, clock, handlers, url } = this.options;
    const conn = new StreamConnection({
      url,
      clock,
      timing: this.timing,
      connectBudget: network.budgets.get('binance:stream-connections', BINANCE_STREAM_LIMITS.connections),
      onKline: (k) => handlers.onKline(k),
      onSubscribed: (names) =>
        handlers.onSubscribed(names.flatMap((n) => (this.keys.has(n) ? [this.keys.get(n)!] : []))),
    });
    this.connections.push(conn);
    return conn;
  }

  stats(): StreamStats {
    const live = this.connections.filter((c) => c.wanted.size > 0);
    const states = live.map((c) => c.state);
    return {
      state: !live.length
        ? 'off'
        : states.includes('reconnecting')
          ? 'reconnecting'
          : states.includes('connecting')
            ? 'connecting'
            : 'live',
      connections: live.length,
      streams: live.reduce((n, c) => n + c.confirmed, 0),
      messages: this.connections.reduce((n, c) => n + c.messages, 0),
      reconnects: this.connections.reduce((n, c) => n + c.reconnects, 0),
      lastMessageAt: this.connections.reduce<number | null>(
        (at, c) => (c.lastMessageAt !== null && (at === null || c.lastMessageAt > at) ? c.lastMessageAt : at),
        null,
      ),
    };
  }

  close(): void {
    for (const conn of this.connections) conn.close();
    this.connections.length = 0;
  }
}

/**
 * Where Binance's streams are: CANDLEKEEP_BINANCE_WS_URL, else next to CANDLEKEEP_BINANCE_URL when
 * that is the simulator (its streams live under the same /binance prefix), else the public endpoint.
 */
export function binanceStreamUrl(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.CANDLEKEEP_BINANCE_WS_URL?.trim();
  if (explicit) return explicit.replace(/\/+$/, '');
  const rest = (env.CANDLEKEEP_BINANCE_URL ?? '')
    .split(',')
    .map((s) => s.trim())
    .find(Boolean);
  if (rest && /\/binance\/?$/.test(rest)) return rest.replace(/^http/, 'ws').replace(/\/+$/, '');
  return PUBLIC_STREAM_URL;
}
