/**
 * One WebSocket connection to Binance's combined stream endpoint, kept open for a set of streams
 * (docs/SOURCES.md "Binance kline streams"): it connects within the per-IP connection budget,
 * subscribes in batches no faster than the per-connection message limit, reconnects with full-jitter
 * backoff when dropped, when silent for too long (a stall with the socket still open) and before the
 * 24-hour mark. Pings are answered by the `ws` library (autoPong, with the ping's payload).
 */
import WebSocket from 'ws';
import type { Clock } from '../net/clock.js';
import { PRIORITY, type WeightBudget } from '../net/budget.js';
import { parseStreamMessage } from './binance-stream-wire.js';
import type { StreamKline, StreamStateName } from './kline-stream.js';

export interface StreamTiming {
  /** Streams named in one SUBSCRIBE message. */
  batch: number;
  /** Gap between two messages we send (Binance allows 5 a second per connection). */
  messageGapMs: number;
  /** No kline for this long on a subscribed connection: it is stalled, and replaced. */
  stallMs: number;
  /** Reconnect on our own this long after connecting (the server closes at 24 hours), plus jitter. */
  maxAgeMs: number;
  ageJitterMs: number;
  /** Reconnect backoff after failures (full jitter). */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Wall-clock limit on the opening handshake. */
  handshakeTimeoutMs: number;
}

export const DEFAULT_STREAM_TIMING: StreamTiming = {
  batch: 200,
  messageGapMs: 250,
  stallMs: 12_000,
  maxAgeMs: 23 * 3_600_000,
  ageJitterMs: 30 * 60_000,
  backoffBaseMs: 1_000,
  backoffMaxMs: 60_000,
  handshakeTimeoutMs: 10_000,
};

export interface ConnectionDeps {
  url: string;
  clock: Clock;
  /** Connections per IP (Binance: 300 per 5 minutes), shared by every connection of the process. */
  connectBudget: WeightBudget;
  timing: StreamTiming;
  onKline(kline: StreamKline): void;
  onSubscribed(names: string[]): void;
  random?: () => number;
}

export class StreamConnection {
  /** Streams this connection is responsible for. */
  readonly wanted = new Set<string>();
  private readonly subscribed = new Set<string>();
  private readonly pending = new Map<number, { method: 'SUBSCRIBE' | 'UNSUBSCRIBE'; names: string[] }>();
  private queue: Array<{ method: 'SUBSCRIBE' | 'UNSUBSCRIBE'; names: string[] }> = [];
  private ws: WebSocket | null = null;
  private nextId = 1;
  private failures = 0;
  private poke: AbortController | null = null;
  private readonly stop = new AbortController();
  state: StreamStateName = 'connecting';
  messages = 0;
  reconnects = 0;
  lastMessageAt: number | null = null;

  constructor(private readonly deps: ConnectionDeps) {}

  get confirmed(): number {
    return this.subscribed.size;
  }

  start(): void {
    void this.run();
  }

  add(names: string[]): void {
    const fresh = names.filter((n) => !this.wanted.has(n));
    for (const n of fresh) this.wanted.add(n);
    if (fresh.length && this.ws?.readyState === WebSocket.OPEN) this.enqueue('SUBSCRIBE', fresh);
  }

  remove(names: string[]): void {
    const gone = names.filter((n) => this.wanted.delete(n));
    const live = gone.filter((n) => this.subscribed.has(n));
    if (live.length && this.ws?.readyState === WebSocket.OPEN) this.enqueue('UNSUBSCRIBE', live);
  }

  close(): void {
    this.stop.abort();
    this.poke?.abort();
    this.ws?.terminate();
    this.state = 'off';
  }

  private enqueue(method: 'SUBSCRIBE' | 'UNSUBSCRIBE', names: string[]): void {
    for (let i = 0; i < names.length; i += this.deps.timing.batch)
      this.queue.push({ method, names: names.slice(i, i + this.deps.timing.batch) });
    this.poke?.abort();
  }

  private async run(): Promise<void> {
    const { clock, timing } = this.deps;
    const random = this.deps.random ?? Math.random;
    while (!this.stop.signal.aborted) {
      await this.deps.connectBudget.acquire(1, PRIORITY.live, this.stop.signal).catch(() => undefined);
      if (this.stop.signal.aborted) break;
      const ws = await this.open();
      if (ws) {
        await this.serve(ws);
        if (this.stop.signal.aborted) break;
      } else this.failures++;
      this.state = 'reconnecting';
      this.reconnects++;
      const ceiling = Math.min(timing.backoffMaxMs, timing.backoffBaseMs * 2 ** Math.min(this.failures, 16));
      await clock.sleep(timing.backoffBaseMs / 2 + random() * ceiling, this.stop.signal);
    }
  }

  private open(): Promise<WebSocket | null> {
    return new Promise((resolve) => {
      const ws = new WebSocket(`${this.deps.url}/stream`, {
        handshakeTimeout: this.deps.timing.handshakeTimeoutMs,
        autoPong: true,
      });
      ws.once('open', () => resolve(ws));
      ws.once('error', () => resolve(null));
      ws.once('unexpected-response', (_req, res) => {
        res.resume();
        resolve(null);
      });
    });
  }

  /** Subscribe, read and watch one open socket until it closes (or is closed as stalled or too old). */
  private async serve(ws: WebSocket): Promise<void> {
    const { clock, timing } = this.deps;
    this.ws = ws;
    this.subscribed.clear();
    this.pending.clear();
    this.queue = [];
    const openedAt = clock.now();
    const retireAt = openedAt + timing.maxAgeMs + (this.deps.random ?? Math.random)() * timing.ageJitterMs;
    let heardAt = openedAt;
    let closed = false;
    ws.on('message', (data) => {
      heardAt = clock.now();
      this.onMessage(String(data));
    });
    ws.on('error', () => ws.terminate());
    ws.once('close', () => {
      closed = true;
      this.poke?.abort();
    });
    this.enqueue('SUBSCRIBE', [...this.wanted]);
    while (!closed && !this.stop.signal.aborted) {
      const now = clock.now();
      const expecting = this.subscribed.size > 0 || this.pending.size > 0;
      if (expecting && now - heardAt > timing.stallMs) {
        ws.terminate();
        break;
      }
      if (now >= retireAt) {
        ws.close(1000, 'reconnecting before the 24-hour limit');
        break;
      }
      const next = this.queue.shift();
      if (next && ws.readyState === WebSocket.OPEN) {
        const id = this.nextId++;
        this.pending.set(id, next);
        ws.send(JSON.stringify({ method: next.method, params: next.names, id }));
        if (heardAt < now) heardAt = now; // silence is measured from the request, not from before it
        await clock.sleep(timing.messageGapMs, this.stop.signal);
        continue;
      }
      this.poke = new AbortController();
      await clock.sleep(Math.min(1_000, timing.stallMs / 4), AbortSignal.any([this.poke.signal, this.stop.signal]));
    }
    this.ws = null;
    this.subscribed.clear();
    if (!closed) await new Promise<void>((resolve) => (closed ? resolve() : ws.once('close', () => resolve())));
  }

  private onMessage(text: string): void {
    const message = parseStreamMessage(text);
    if (message.kind === 'kline') {
      this.messages++;
      this.lastMessageAt = this.deps.clock.now();
      this.failures = 0;
      this.state = 'live';
      this.deps.onKline(message.kline);
      return;
    }
    if (message.kind !== 'reply' || typeof message.id !== 'number') return;
    const request = this.pending.get(message.id);
    this.pending.delete(message.id);
    if (!request || message.error) return;
    if (request.method === 'UNSUBSCRIBE') {
      for (const n of request.names) this.subscribed.delete(n);
      return;
    }
    const names = request.names.filter((n) => this.wanted.has(n));
    for (const n of names) this.subscribed.add(n);
    if (this.pending.size === 0 && this.queue.length === 0) this.state = 'live';
    this.deps.onSubscribed(names);
  }
}
