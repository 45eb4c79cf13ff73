/**
 * The local kline streams: Binance's stream endpoints (`/ws/<symbol>@kline_<interval>`,
 * `/stream?streams=a/b`, SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS) answered for the Binance series
 * Candlekeep keeps, so bots that read klines from `serve` (ccxt.pro, freqtrade) get live updates too:
 * the forming candle as the engine's stream last sent it (`x:false`, never stored) and each closed
 * candle once stored (`x:true`, the stored values). Read-only: any caller the server admitted may
 * listen. Fields Candlekeep does not keep (quote volume, trades, taker volumes) are "0", as in the
 * local REST API.
 */
import type { WebSocket } from 'ws';
import type { Store } from '../store/store.js';
import type { EventBus } from '../../shared/event-bus.js';
import type { Candle } from '../../shared/domain.js';
import { isTimeframe, nextOpen, type Timeframe } from '../../shared/timeframe.js';

/** The most streams one connection may listen to, as on Binance. */
const STREAMS_PER_CONNECTION = 1024;
const STREAM_NAME = /^([a-z0-9]{1,20})@kline_([0-9]+[smhdwM])$/;

interface Listener {
  ws: WebSocket;
  combined: boolean;
  streams: Set<string>;
}

function decimal(n: number | null): string {
  if (n === null) return '0';
  const fixed = n.toFixed(8);
  return Number(fixed) === n ? fixed : String(n);
}

function klineEvent(symbol: string, tf: Timeframe, c: Candle, closed: boolean, eventTime: number): string {
  return JSON.stringify({
    e: 'kline',
    E: eventTime,
    s: symbol,
    k: {
      t: c.ts,
      T: nextOpen(tf, c.ts) - 1,
      s: symbol,
      i: tf,
      f: -1,
      L: -1,
      o: decimal(c.open),
      c: decimal(c.close),
      h: decimal(c.high),
      l: decimal(c.low),
      v: decimal(c.volume),
      n: 0,
      x: closed,
      q: '0',
      V: '0',
      Q: '0',
      B: '0',
    },
  });
}

export class KlineStreamServer {
  private readonly listeners = new Set<Listener>();
  /** The newest closed candle sent per series: history stored later is not news. */
  private readonly lastClosed = new Map<number, number>();
  private readonly unsubscribe: Array<() => void>;

  constructor(
    private readonly store: Store,
    events: EventBus,
    private readonly now: () => number,
  ) {
    this.unsubscribe = [
      events.on('candles:forming', ({ seriesId, candle }) => this.publish(seriesId, candle, false)),
      events.on('candles:stored', ({ seriesId, lastTs }) => {
        if (lastTs === null || lastTs <= (this.lastClosed.get(seriesId) ?? -Infinity)) return;
        const candle = this.store.candles.range(seriesId, lastTs, lastTs + 1)[0];
        if (!candle) return;
        this.lastClosed.set(seriesId, lastTs);
        this.publish(seriesId, candle, true);
      }),
    ];
  }

  /** Whether `pathname` is one of the stream endpoints. */
  static handles(pathname: string): boolean {
    return pathname.startsWith('/ws/') || pathname === '/stream';
  }

  /** Attach an admitted WebSocket opened at `url`. */
  attach(ws: WebSocket, url: URL): void {
    const combined = url.pathname === '/stream';
    // A path name that is no stream (ccxt.pro opens /ws/0 and then subscribes) starts with none.
    const initial = combined
      ? (url.searchParams.get('streams') ?? '').split('/').filter(Boolean)
      : [decodeURIComponent(url.pathname.slice(4))].filter((n) => n.includes('@'));
    const listener: Listener = { ws, combined, streams: new Set() };
    const bad = initial.find((n) => !this.series(n));
    if (bad !== undefined || initial.length > STREAMS_PER_CONNECTION)
      return ws.close(1008, bad !== undefined ? `unknown stream ${bad.slice(0, 60)}` : 'too many streams');
    for (const n of initial) listener.streams.add(n);
    this.listeners.add(listener);
    ws.on('close', () => this.listeners.delete(listener));
    ws.on('message', (data) => this.onMessage(listener, String(data)));
  }

  close(): void {
    for (const off of this.unsubscribe) off();
    for (const l of this.listeners) l.ws.terminate();
    this.listeners.clear();
  }

  private series(name: string): { id: number; symbol: string; tf: Timeframe } | null {
    const match = STREAM_NAME.exec(name);
    if (!match || !isTimeframe(match[2]!)) return null;
    const symbol = match[1]!.toUpperCase();
    const row = this.store.series.find({ source: 'binance', symbol, timeframe: match[2] as Timeframe });
    return row ? { id: row.id, symbol, tf: row.timeframe } : null;
  }

  private onMessage(l: Listener, text: string): void {
    let request: { method?: unknown; params?: unknown; id?: unknown };
    try {
      request = JSON.parse(text) as typeof request;
    } catch {
      return l.ws.send(JSON.stringify({ error: { code: 3, msg: 'Invalid JSON' }, id: null }));
    }
    const id = typeof request.id === 'number' || typeof request.id === 'string' ? request.id : null;
    const params = Array.isArray(request.params) ? request.params.map(String) : [];
    if (request.method === 'LIST_SUBSCRIPTIONS') return l.ws.send(JSON.stringify({ result: [...l.streams], id }));
    if (request.method !== 'SUBSCRIBE' && request.method !== 'UNSUBSCRIBE')
      return l.ws.send(JSON.stringify({ error: { code: 2, msg: 'Invalid request: unknown method' }, id }));
    if (request.method === 'UNSUBSCRIBE') {
      for (const p of params) l.streams.delete(p);
      return l.ws.send(JSON.stringify({ result: null, id }));
    }
    const unknown = params.find((p) => !this.series(p));
    if (unknown !== undefined)
      return l.ws.send(
        JSON.stringify({
          error: { code: 2, msg: `Invalid request: Candlekeep keeps no series for stream ${unknown.slice(0, 60)}` },
          id,
        }),
      );
    if (new Set([...l.streams, ...params]).size > STREAMS_PER_CONNECTION)
      return l.ws.send(
        JSON.stringify({
          error: { code: 2, msg: `Invalid request: at most ${STREAMS_PER_CONNECTION} streams per connection` },
          id,
        }),
      );
    for (const p of params) l.streams.add(p);
    l.ws.send(JSON.stringify({ result: null, id }));
  }

  private publish(seriesId: number, candle: Candle, closed: boolean): void {
    if (!this.listeners.size) return;
    const series = this.store.series.get(seriesId);
    if (!series || series.source !== 'binance') return;
    const name = `${series.symbol.toLowerCase()}@kline_${series.timeframe}`;
    let raw: string | null = null;
    for (const l of this.listeners) {
      if (!l.streams.has(name) || l.ws.readyState !== l.ws.OPEN) continue;
      raw ??= klineEvent(series.symbol, series.timeframe, candle, closed, this.now());
      l.ws.send(l.combined ? `{"stream":"${name}","data":${raw}}` : raw);
    }
  }
}
