/**
 * Live tails from streams: every enabled series whose source has a stream is subscribed, and a
 * candle is stored when its closing message arrives (stream-commit.ts). The REST tail stays the
 * safety net: after every (re)subscription the series is planned again, and the tail's own timer
 * fetches any close the stream did not deliver within its delay, so a stream's silence never
 * becomes a hole. Duplicates are harmless (the upsert writes nothing new) and a closing message
 * that arrives ahead of a missing one waits here until the gap before it is filled.
 *
 * Every series' candle closes at the same instant, so closing messages come in bursts (a thousand
 * series: a thousand messages at once). The ones read in one turn of the event loop are stored in one
 * transaction, each candle still its own window: one commit per candle made the last of a thousand
 * wait for the other 999 commits.
 */
import type { Store } from '../store/store.js';
import type { Clock } from '../net/clock.js';
import type { Source } from '../sources/source.js';
import type { KlineStream, KlineStreamHandlers, StreamKey, StreamKline, StreamStats } from '../sources/kline-stream.js';
import type { EventBus } from '../../shared/event-bus.js';
import type { Series } from '../../shared/domain.js';
import { nextOpen } from '../../shared/timeframe.js';
import { commitStreamCandle, type StreamCommit } from './stream-commit.js';
import type { CommitResult } from './window-commit.js';
import { reportQuarantined } from './window-reports.js';
import type { EvidenceRules } from './evidence.js';

/** Closing messages kept aside per series while an earlier candle is missing. */
const MAX_AHEAD = 16;

export type StreamFactory = (sourceId: string, handlers: KlineStreamHandlers) => KlineStream | undefined;

export interface LiveStreamDeps {
  store: Store;
  clock: Clock;
  events?: EventBus;
  streamFor: StreamFactory;
  source(id: string): Source;
  evidence: EvidenceRules;
  /** Plan the series now: its REST tail fetches what the stream may have missed. */
  catchUp(seriesId: number): void;
  /** A closed candle was stored from a stream (count of new or changed rows). */
  onStored(series: Series, ts: number, stored: number): void;
}

const keyOf = (source: string, symbol: string, timeframe: string): string => `${source} ${symbol} ${timeframe}`;

export class LiveStreams {
  private readonly streams = new Map<string, KlineStream | null>();
  private readonly series = new Map<string, Series>();
  private readonly ahead = new Map<number, Map<number, StreamKline>>();
  /** Forming candles as the streams last sent them (never stored), by series id. */
  readonly forming = new Map<number, StreamKline>();
  /** Closing messages read and not stored yet (stored together once this turn's messages are read). */
  private closes: Array<{ sourceId: string; series: Series; kline: StreamKline }> = [];
  private flushing: NodeJS.Immediate | null = null;

  constructor(private readonly deps: LiveStreamDeps) {}

  /** Subscribe to the streams of these series (the enabled ones) and drop the others. */
  sync(list: Series[]): void {
    this.series.clear();
    const bySource = new Map<string, StreamKey[]>();
    for (const s of list) {
      if (!s.enabled || !this.stream(s.source)) continue;
      this.series.set(keyOf(s.source, s.symbol, s.timeframe), s);
      let keys = bySource.get(s.source);
      if (!keys) bySource.set(s.source, (keys = []));
      keys.push({ symbol: s.symbol, timeframe: s.timeframe });
    }
    for (const [source, stream] of this.streams) stream?.set(bySource.get(source) ?? []);
    const kept = new Set([...this.series.values()].map((s) => s.id));
    for (const id of [...this.forming.keys(), ...this.ahead.keys()]) {
      if (!kept.has(id)) {
        this.forming.delete(id);
        this.ahead.delete(id);
      }
    }
  }

  stats(sourceId: string): StreamStats | null {
    return this.streams.get(sourceId)?.stats() ?? null;
  }

  close(): void {
    for (const stream of this.streams.values()) stream?.close();
    this.streams.clear();
    this.flush();
  }

  /** Closing messages read but not stored yet (the engine is not idle while there are any). */
  get pendingCloses(): number {
    return this.closes.length;
  }

  private stream(sourceId: string): KlineStream | null {
    if (!this.streams.has(sourceId)) {
      this.streams.set(
        sourceId,
        this.deps.streamFor(sourceId, {
          onKline: (k) => this.onKline(sourceId, k),
          onSubscribed: (keys) => {
            for (const k of keys) {
              const s = this.series.get(keyOf(sourceId, k.symbol, k.timeframe));
              if (s) this.deps.catchUp(s.id);
            }
          },
        }) ?? null,
      );
    }
    return this.streams.get(sourceId)!;
  }

  private onKline(sourceId: string, kline: StreamKline): void {
    const series = this.series.get(keyOf(sourceId, kline.symbol, kline.timeframe));
    if (!series) return;
    if (!kline.closed) {
      this.forming.set(series.id, kline);
      this.deps.events?.emit('candles:forming', { seriesId: series.id, candle: kline.candle });
      return;
    }
    this.closes.push({ sourceId, series, kline });
    this.flushing ??= setImmediate(() => this.flush());
  }

  /** Store the closing messages read so far, in one transaction; then say what was stored. */
  private flush(): void {
    if (this.flushing) clearImmediate(this.flushing);
    this.flushing = null;
    const closes = this.closes;
    this.closes = [];
    this.storeAll(closes);
  }

  /**
   * The REST tail stored candles of this series: closes kept aside because one before them was
   * missing may follow the stored tail now, and are stored at once (else they waited for the next
   * close, and the REST tail fetched them meanwhile: after a reconnect, every series again).
   */
  release(series: Series): void {
    const waiting = this.ahead.get(series.id);
    if (!waiting?.size) return;
    this.ahead.delete(series.id);
    // Oldest first: each one stored lets the next follow; any still ahead is kept aside again.
    const klines = [...waiting.values()].sort((a, b) => a.candle.ts - b.candle.ts);
    this.storeAll(klines.map((kline) => ({ sourceId: series.source, series, kline })));
  }

  private storeAll(closes: Array<{ sourceId: string; series: Series; kline: StreamKline }>): void {
    if (!closes.length) return;
    const stored: Array<{ series: Series; kline: StreamKline; result: CommitResult }> = [];
    this.deps.store.transaction(() => {
      for (const { sourceId, series, kline } of closes) {
        // Paused or removed since the message was read: not stored.
        const current = this.series.get(keyOf(sourceId, series.symbol, series.timeframe));
        if (current?.id === series.id) this.storeClose(sourceId, current, kline, stored);
      }
    });
    const { store, clock, events } = this.deps;
    for (const { series, kline, result } of stored) {
      const window = { from: kline.candle.ts, to: nextOpen(series.timeframe, kline.candle.ts) };
      reportQuarantined({ store, clock, events }, series, window, result.rejected);
      this.deps.onStored(series, kline.candle.ts, result.stored);
    }
  }

  /** Store one closed candle, or keep it aside while the one before it is missing; then those it frees. */
  private storeClose(
    sourceId: string,
    series: Series,
    kline: StreamKline,
    stored: Array<{ series: Series; kline: StreamKline; result: CommitResult }>,
  ): void {
    let next: StreamKline | undefined = kline;
    while (next) {
      const ts = next.candle.ts;
      const out = this.commit(sourceId, series, next);
      if (out.outcome === 'stored') stored.push({ series, kline: next, result: out.result });
      const waiting = this.ahead.get(series.id) ?? new Map<number, StreamKline>();
      if (out.outcome === 'ahead') {
        waiting.set(ts, next);
        // The REST tail fetches what is missing anyway; only the latest few are worth keeping.
        if (waiting.size > MAX_AHEAD) waiting.delete(Math.min(...waiting.keys()));
        this.ahead.set(series.id, waiting);
        return;
      }
      // Kept-aside candles up to this one are stored by now (by the stream or the REST tail).
      for (const t of waiting.keys()) if (t <= ts) waiting.delete(t);
      if (!waiting.size) this.ahead.delete(series.id);
      next = waiting.get(nextOpen(series.timeframe, ts));
    }
  }

  private commit(sourceId: string, series: Series, kline: StreamKline): StreamCommit {
    const source = this.deps.source(sourceId);
    return commitStreamCandle(this.deps.store, source, series, kline, this.deps.clock.now(), {
      hasVolume: source.capabilities.hasVolume,
      evidence: this.deps.evidence,
    });
  }
}
