/**
 * Live candles of a `ccxt:<exchange>` source over its bundled pro client's watchOHLCV, as a
 * KlineStream the engine treats like Binance's own streams (engine/live-streams.ts).
 *
 * watchOHLCV resolves with ccxt's cache of the newest candles (those updated since the last call),
 * the forming one included, and no word on which are closed. So:
 * - where the exchange's messages carry a closing flag (ccxt-closing-flags.ts), a candle is closed
 *   when that message arrives, with the values it brought;
 * - elsewhere a candle is closed once a later candle has appeared, and only if it was updated
 *   since the connection (re)opened: a candle last heard of before a drop may lack its final update,
 *   so it is left to the REST tail, like any candle the stream did not deliver.
 * The newest candle is always forming and never stored.
 *
 * Connections, subscriptions and pings are ccxt's. We watch: each (re)connection is spent from the
 * venue's per-IP connection budget (the same one our native stream uses), messages are counted for
 * the source tile, a connection silent for too long is cut (ccxt then reconnects), and after each
 * (re)connect every key reports itself subscribed once data flows, so the REST tail catches up.
 */
import type * as Ccxt from 'ccxt';
import { ccxtModule } from './ccxt.js';
import type { Clock } from '../net/clock.js';
import { PRIORITY, type WeightBudget } from '../net/budget.js';
import type { Candle } from '../../shared/domain.js';
import { closingFlagOf, type ClosingMessage } from './ccxt-closing-flags.js';
import type { KlineStream, KlineStreamHandlers, StreamKey, StreamStateName, StreamStats } from './kline-stream.js';

type Exchange = Ccxt.Exchange;
type Row = number[];

export interface CcxtStreamTiming {
  /** No message for this long while subscribed: the connection is cut, and ccxt opens a new one. */
  stallMs: number;
  /** Backoff before watching again after a failure (full jitter). */
  backoffBaseMs: number;
  backoffMaxMs: number;
}

/** Venues known to push every subscribed kline at least every few seconds: silence there is a stall. */
const PUSH_EVERY_FEW_SECONDS = new Set(['binance']);

export function ccxtStreamTiming(exchangeId: string): CcxtStreamTiming {
  return {
    // Elsewhere an update may wait for a trade: only a long silence counts.
    stallMs: PUSH_EVERY_FEW_SECONDS.has(exchangeId) ? 12_000 : 5 * 60_000,
    backoffBaseMs: 1_000,
    backoffMaxMs: 60_000,
  };
}

export interface CcxtStreamOptions {
  /** ccxt's exchange id, e.g. 'binance'. */
  exchangeId: string;
  /** The pro client (ccxt.ts `ccxtProExchange`), owned by this stream from now on. */
  exchange: Exchange;
  clock: Clock;
  /** Connections per IP, shared with every other stream to the same venue. */
  connectBudget: WeightBudget;
  handlers: KlineStreamHandlers;
  timing?: Partial<CcxtStreamTiming>;
  /** Use the exchange's closing flag where known (default); off, the later-candle rule alone decides. */
  closingFlags?: boolean;
  random?: () => number;
}

interface Watch {
  key: StreamKey;
  stop: AbortController;
  /** Data has come on the current connection (so the key is subscribed again). */
  subscribed: boolean;
  /** Updates seen on the current connection after its first answer: open time -> values. */
  heard: Map<number, Row>;
  /** Open time of the newest candle (the forming one). */
  newest: number | null;
}

interface WsClientLike {
  url: string;
  isOpen?(): boolean;
  connection?: { terminate?(): void };
}

export class CcxtKlineStream implements KlineStream {
  private readonly watches = new Map<string, Watch>();
  private readonly timing: CcxtStreamTiming;
  private readonly closing: ((message: unknown) => ClosingMessage | undefined) | undefined;
  private readonly stop = new AbortController();
  /** The current (re)opening: backoff, then one connection from the budget. Shared by every watch. */
  private opening: Promise<void> | null = null;
  private generation = 0;
  private failures = 0;
  private state: StreamStateName = 'connecting';
  private messages = 0;
  private reconnects = 0;
  private lastMessageAt: number | null = null;
  private openedAt = 0;

  constructor(private readonly o: CcxtStreamOptions) {
    this.timing = { ...ccxtStreamTiming(o.exchangeId), ...o.timing };
    this.closing = o.closingFlags === false ? undefined : closingFlagOf(o.exchangeId);
    const exchange = o.exchange as unknown as { handleMessage(client: WsClientLike, message: unknown): unknown };
    const handle = exchange.handleMessage.bind(exchange);
    // ccxt binds this when it creates a client, so replacing it here sees every message.
    exchange.handleMessage = (client, message) => {
      const result = handle(client, message);
      this.onMessage(message);
      return result;
    };
    void this.watchSilence();
  }

  set(wanted: StreamKey[]): void {
    const next = new Map(wanted.map((k) => [`${k.symbol} ${k.timeframe}`, k]));
    for (const [name, watch] of this.watches) {
      if (next.has(name)) continue;
      watch.stop.abort();
      this.watches.delete(name);
      if (this.o.exchange.has.unWatchOHLCV)
        void this.o.exchange.unWatchOHLCV(watch.key.symbol, watch.key.timeframe).catch(() => undefined);
    }
    for (const [name, key] of next) {
      if (this.watches.has(name)) continue;
      const watch: Watch = { key, stop: new AbortController(), subscribed: false, heard: new Map(), newest: null };
      this.watches.set(name, watch);
      void this.watch(watch);
    }
  }

  stats(): StreamStats {
    const clients = Object.values(
      (this.o.exchange as unknown as { clients?: Record<string, WsClientLike> }).clients ?? {},
    );
    const watching = [...this.watches.values()];
    return {
      state: watching.length ? this.state : 'off',
      connections: clients.filter(isOpen).length,
      streams: watching.filter((w) => w.subscribed).length,
      messages: this.messages,
      reconnects: this.reconnects,
      lastMessageAt: this.lastMessageAt,
    };
  }

  close(): void {
    this.stop.abort();
    for (const watch of this.watches.values()) watch.stop.abort();
    this.watches.clear();
    this.state = 'off';
    void this.o.exchange.close().catch(() => undefined);
  }

  private async watch(w: Watch): Promise<void> {
    const signal = AbortSignal.any([w.stop.signal, this.stop.signal]);
    let refusals = 0;
    while (!signal.aborted) {
      const generation = this.generation;
      let rows: Row[];
      try {
        await this.open();
        if (signal.aborted) break;
        rows = (await this.o.exchange.watchOHLCV(w.key.symbol, w.key.timeframe)) as Row[];
      } catch (err) {
        if (signal.aborted) break;
        if (refusedByExchange(err)) {
          // This key was refused (an unknown symbol, say): the connection is fine, the REST tail
          // serves this series meanwhile, and the watch asks again after a while.
          refusals++;
          await this.o.clock.sleep(this.backoff(refusals), signal).catch(() => undefined);
          continue;
        }
        // Whatever was heard before the drop may lack its final update: start over.
        w.subscribed = false;
        w.heard.clear();
        w.newest = null;
        this.failed(generation);
        continue;
      }
      refusals = 0;
      if (!signal.aborted) this.onRows(w, rows);
    }
  }

  /** The connection is (being) opened: the first call spends one connection from the budget. */
  private open(): Promise<void> {
    this.opening ??= this.o.exchange
      .loadHttpProxyAgent() // ccxt wants its agent made before it opens a plain ws:// socket
      .then(() => this.o.connectBudget.acquire(1, PRIORITY.live, this.stop.signal))
      .then(() => {
        this.openedAt = this.o.clock.now();
      });
    return this.opening;
  }

  private backoff(failures: number): number {
    const { backoffBaseMs, backoffMaxMs } = this.timing;
    const ceiling = Math.min(backoffMaxMs, backoffBaseMs * 2 ** Math.min(failures, 16));
    return backoffBaseMs / 2 + (this.o.random ?? Math.random)() * ceiling;
  }

  /** A watch failed on connection `generation`: the first to say so schedules the next one. */
  private failed(generation: number): void {
    if (generation !== this.generation || this.stop.signal.aborted) return;
    this.generation++;
    this.failures++;
    this.reconnects++;
    this.state = 'reconnecting';
    this.opening = this.o.clock
      .sleep(this.backoff(this.failures), this.stop.signal)
      .then(() => this.o.connectBudget.acquire(1, PRIORITY.live, this.stop.signal))
      .then(() => {
        this.openedAt = this.o.clock.now();
      });
    // A wait cut short by close() must not surface as an unhandled rejection; watchers see it themselves.
    this.opening.catch(() => undefined);
  }

  private onRows(w: Watch, rows: Row[]): void {
    const sorted = rows.filter((r) => typeof r[0] === 'number').sort((a, b) => a[0]! - b[0]!);
    if (!sorted.length) return;
    const first = !w.subscribed;
    if (first) {
      w.subscribed = true;
      this.o.handlers.onSubscribed([w.key]);
    }
    const newest = sorted[sorted.length - 1]![0]!;
    if (!this.closing) this.closeEarlier(w, sorted, newest, first);
    if (w.newest === null || newest >= w.newest) {
      w.newest = newest;
      this.emit(w.key, sorted[sorted.length - 1]!, false);
    }
  }

  /** The later-candle rule: every candle heard on this connection before the newest one is closed. */
  private closeEarlier(w: Watch, sorted: Row[], newest: number, first: boolean): void {
    // The first answer on a connection may hold updates from before it; they prove nothing.
    if (!first) for (const row of sorted) w.heard.set(row[0]!, [...row]);
    for (const ts of [...w.heard.keys()].sort((a, b) => a - b)) {
      if (ts >= newest) break;
      this.emit(w.key, w.heard.get(ts)!, true);
      w.heard.delete(ts);
    }
  }

  private emit(key: StreamKey, row: Row, closed: boolean): void {
    const [ts, open, high, low, close, volume] = row;
    if (typeof open !== 'number' || typeof high !== 'number' || typeof low !== 'number' || typeof close !== 'number')
      return; // a row without its prices is no candle; the REST tail fetches it
    const candle: Candle = { ts: ts!, open, high, low, close, volume: typeof volume === 'number' ? volume : null };
    this.o.handlers.onKline({ ...key, closed, candle, raw: [...row] });
  }

  private onMessage(message: unknown): void {
    this.messages++;
    this.lastMessageAt = this.o.clock.now();
    this.failures = 0;
    this.state = 'live';
    const closing = this.closing?.(message);
    if (!closing) return;
    const watch = this.watchOf(closing);
    if (!watch) return;
    // The values this very message put in ccxt's cache: a later (reordered) update may change them.
    const cache = (this.o.exchange as unknown as { ohlcvs?: Record<string, Record<string, Row[] | undefined>> })
      .ohlcvs?.[watch.key.symbol]?.[watch.key.timeframe];
    const row = cache && [...cache].reverse().find((r) => r[0] === closing.ts);
    if (row) this.emit(watch.key, [...row], true);
  }

  private watchOf(closing: ClosingMessage): Watch | undefined {
    const exchange = this.o.exchange;
    for (const w of this.watches.values()) {
      const market = exchange.markets?.[w.key.symbol];
      if (market?.id === closing.marketId && exchange.timeframes?.[w.key.timeframe] === closing.interval) return w;
    }
    return undefined;
  }

  /** Cut a connection that has gone silent while subscribed; ccxt's next watch opens a fresh one. */
  private async watchSilence(): Promise<void> {
    const { clock } = this.o;
    while (!this.stop.signal.aborted) {
      await clock.sleep(Math.min(1_000, this.timing.stallMs / 4), this.stop.signal).catch(() => undefined);
      if (this.stop.signal.aborted) break;
      const subscribed = [...this.watches.values()].some((w) => w.subscribed);
      const heardAt = Math.max(this.lastMessageAt ?? 0, this.openedAt);
      if (!subscribed || clock.now() - heardAt <= this.timing.stallMs) continue;
      const clients = (this.o.exchange as unknown as { clients?: Record<string, WsClientLike> }).clients ?? {};
      for (const client of Object.values(clients)) client.connection?.terminate?.();
      this.openedAt = clock.now();
    }
  }
}

/** A ccxt client with an open socket (one not yet connected has no socket to ask). */
function isOpen(client: WsClientLike): boolean {
  return client.connection !== undefined && (client.isOpen?.() ?? false);
}

/** ccxt refused the request itself (a bad symbol or timeframe), as opposed to the connection failing. */
function refusedByExchange(err: unknown): boolean {
  const c = ccxtModule();
  return err instanceof c.BaseError && !(err instanceof c.NetworkError);
}
