/**
 * Live tails from streams: every enabled series whose source has a stream is subscribed, and a
 * candle is stored when its closing message arrives (stream-commit.ts). The REST tail stays the
 * safety net: after every (re)subscription the series is planned again, and the tail's own timer
 * fetches any close the stream did not deliver within its delay, so a stream's silence never
 * becomes a hole. Duplicates are harmless (the upsert writes nothing new) and a closing message
 * that arrives ahead of a missing one waits here until the gap before it is filled.
 */
import type { Store } from '../store/store.js';
import type { Clock } from '../net/clock.js';
import type { Source } from '../sources/source.js';
import type { KlineStream, KlineStreamHandlers, StreamKey, StreamKline, StreamStats } from '../sources/kline-stream.js';
import type { EventBus } from '../../shared/event-bus.js';
import type { Series } from '../../shared/domain.js';
import { nextOpen } from '../../shared/timeframe.js';
import { commitStreamCandle } from './stream-commit.js';
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
    let next: StreamKline | undefined = kline;
    while (next) {
      const ts = next.candle.ts;
      const done = this.commit(sourceId, series, next);
      const waiting = this.ahead.get(series.id) ?? new Map<number, StreamKline>();
      if (!done) {
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

  /** False when the candle is ahead of the stored tail (kept aside by the caller). */
  private commit(sourceId: string, series: Series, kline: StreamKline): boolean {
    const { store, clock } = this.deps;
    const source = this.deps.source(sourceId);
    const now = clock.now();
    const out = commitStreamCandle(store, source, series, kline, now, {
      hasVolume: source.capabilities.hasVolume,
      evidence: this.deps.evidence,
    });
    if (out.outcome === 'ahead') return false;
    if (out.outcome === 'stored') {
      const window = { from: kline.candle.ts, to: nextOpen(series.timeframe, kline.candle.ts) };
      reportQuarantined({ store, clock, events: this.deps.events }, series, window, out.result.rejected);
      this.deps.onStored(series, kline.candle.ts, out.result.stored);
    }
    return true;
  }
}
