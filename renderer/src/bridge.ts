/**
 * The renderer's only door to the engine: `window.candlekeep` when the Electron preload put it
 * there, otherwise the same contract over a WebSocket to the headless server that served this page.
 */
import { unwrapEnvelope, type CandlekeepBridge, type Channel, type Envelope, type EventMap, type EventName } from '../../shared/contract';

declare global {
  interface Window {
    candlekeep?: CandlekeepBridge;
  }
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

/** The contract over one WebSocket, reconnecting with backoff; calls made while down wait for it. */
export class WebSocketBridge implements CandlekeepBridge {
  private socket: WebSocket | null = null;
  private ready: Promise<WebSocket> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<EventName, Set<(payload: never) => void>>();
  private retryMs = 250;

  constructor(private readonly url: string) {}

  private connect(): Promise<WebSocket> {
    if (this.ready) return this.ready;
    this.ready = new Promise((resolve) => {
      const ws = new WebSocket(this.url);
      ws.onopen = () => {
        this.socket = ws;
        this.retryMs = 250;
        resolve(ws);
      };
      ws.onmessage = (ev) => this.receive(String(ev.data));
      ws.onclose = () => {
        this.socket = null;
        this.ready = null;
        for (const p of this.pending.values()) p.reject(new Error('connection to Candlekeep lost; retrying'));
        this.pending.clear();
        setTimeout(() => {
          if (this.listeners.size) void this.connect();
        }, this.retryMs);
        this.retryMs = Math.min(5000, this.retryMs * 2);
      };
    });
    return this.ready;
  }

  private receive(text: string): void {
    const msg = JSON.parse(text) as ({ id: number } & Envelope<unknown>) | { event: EventName; payload: unknown };
    if ('event' in msg) {
      for (const listener of this.listeners.get(msg.event) ?? []) (listener as (p: unknown) => void)(msg.payload);
      return;
    }
    const pending = this.pending.get(msg.id);
    if (!pending) return;
    this.pending.delete(msg.id);
    try {
      pending.resolve(unwrapEnvelope(msg));
    } catch (err) {
      pending.reject(err as Error);
    }
  }

  invoke: CandlekeepBridge['invoke'] = async (channel: Channel, ...args: unknown[]) => {
    const ws = await this.connect();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, channel, args: args[0] }));
    }) as never;
  };

  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    void this.connect();
    return () => set.delete(listener as (payload: never) => void);
  }
}

function defaultBridge(): CandlekeepBridge {
  if (window.candlekeep) return window.candlekeep;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return new WebSocketBridge(`${scheme}://${location.host}/ws${location.search}`);
}

export const bridge: CandlekeepBridge = defaultBridge();
