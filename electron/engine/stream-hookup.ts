/**
 * The engine's live streams (live-streams.ts), where a source has them: built when the engine
 * starts, built anew when settings change (streams on or off, hosts), closed when it stops, and kept
 * subscribed to the series this engine works on. Without a stream factory every tail polls REST and
 * each call here does nothing.
 */
import type { StreamStats } from '../sources/kline-stream.js';
import type { Series } from '../../shared/domain.js';
import type { EvidenceRules } from './evidence.js';
import { LiveStreams, type LiveStreamDeps, type StreamFactory } from './live-streams.js';

export interface StreamHookupDeps extends Omit<LiveStreamDeps, 'streamFor' | 'evidence'> {
  /** Absent: no source streams. */
  streamFor?: StreamFactory;
  /** Read each time the streams are built (the engine's own config). */
  config: { readonly evidence: EvidenceRules };
}

export class StreamHookup {
  private live: LiveStreams | null = null;

  constructor(private readonly deps: StreamHookupDeps) {}

  /** Build the streams, unless they run already or nothing streams. */
  start(): void {
    this.build();
  }

  /** Close the streams and build them anew, subscribed to `owned()` (settings changed). */
  restart(owned: () => Series[]): void {
    this.close();
    this.build()?.sync(owned());
  }

  close(): void {
    this.live?.close();
    this.live = null;
  }

  /**
   * Subscribe to the streams of the series this engine works on and drop the others. `owned` is
   * read only while streams run: listing the series is a database read, wasted without them.
   */
  sync(owned: () => Series[]): void {
    this.live?.sync(owned());
  }

  /** A source's live stream state, messages and reconnects (null: that source has no stream running). */
  stats(sourceId: string): StreamStats | null {
    return this.live?.stats(sourceId) ?? null;
  }

  /** Closing messages read and not stored yet. */
  get pendingCloses(): number {
    return this.live?.pendingCloses ?? 0;
  }

  /** The series' REST window stored candles: closes the stream sent ahead of them are stored now. */
  release(series: Series): void {
    this.live?.release(series);
  }

  private build(): LiveStreams | null {
    const { streamFor, config, ...deps } = this.deps;
    if (!streamFor || this.live) return this.live;
    return (this.live = new LiveStreams({ ...deps, streamFor, evidence: config.evidence }));
  }
}
