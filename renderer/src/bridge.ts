/**
 * The renderer's only door to the engine: `window.candlekeep` when the Electron preload put it
 * there, otherwise the same contract over a WebSocket to the headless server that served this page.
 */
import {
  unwrapEnvelope,
  type CandlekeepBridge,
  type Channel,
  type Envelope,
  type EventMap,
  type EventName,
} from '../../shared/contract';

declare global {
  interface Window {
    candlekeep?: CandlekeepBridge;
  }
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

/** Whether the dashboard can reach the engine right now ('open' always inside the desktop app). */
export type ConnectionState = 'connecting' | 'open' | 'lost';

/** The contract over one WebSocket, reconnecting with backoff; calls made while down wait for it. */
export class WebSocketBridge implements CandlekeepBridge {
  private socket: WebSocket | null = null;
  private ready: Promise<WebSocket> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<EventName, Set<(payload: never) => void>>();
  private retryMs = 250;
  private readonly connectionListeners = new Set<(state: ConnectionState) => void>();

  constructor(private readonly url: string) {}

  /** Connection changes, so the dashboard can say it is offline and re-fetch snapshots once back. */
  onConnection(listener: (state: ConnectionState) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  private announce(state: ConnectionState): void {
    for (const listener of this.connectionListeners) listener(state);
  }

  private connect(): Promise<WebSocket> {
    if (!this.ready) this.ready = new Promise((resolve) => this.open(resolve));
    return this.ready;
  }

  private open(resolve: (ws: WebSocket) => void): void {
    const ws = new WebSocket(this.url);
    let wasOpen = false;
    ws.onopen = () => {
      // User Timing for the bench's breakdown of the first load (once: marks would pile up for weeks).
      if (!performance.getEntriesByName('candlekeep:connected').length) performance.mark('candlekeep:connected');
      wasOpen = true;
      this.socket = ws;
      this.retryMs = 250;
      resolve(ws);
      this.announce('open');
    };
    ws.onmessage = (ev) => this.receive(String(ev.data));
    ws.onclose = () => {
      this.socket = null;
      for (const p of this.pending.values()) p.reject(new Error('connection to Candlekeep lost; retrying'));
      this.pending.clear();
      const delay = this.retryMs;
      this.retryMs = Math.min(5000, this.retryMs * 2);
      if (!wasOpen) {
        // Never opened: callers already wait on this attempt's promise, so retry under it.
        setTimeout(() => this.open(resolve), delay);
        return;
      }
      this.ready = null;
      this.announce('lost');
      setTimeout(() => {
        if (this.listeners.size) void this.connect();
      }, delay);
    };
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

/** Follow the connection; inside the desktop app the bridge is IPC and always open. */
export function onConnection(listener: (state: ConnectionState) => void): () => void {
  return bridge instanceof WebSocketBridge ? bridge.onConnection(listener) : () => undefined;
}
