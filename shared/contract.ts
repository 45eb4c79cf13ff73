/**
 * The one typed contract between the engine and every front (Electron IPC, HTTP + WebSocket).
 * Channels are `domain:verb`; each maps to (args) => result. Pushed events map name -> payload.
 * Main's handlers, the preload bridge and the WebSocket client are all typed from these maps.
 */
import type { CandleBucketsResult, EngineEvent, Job, SeriesSummary } from './domain.js';

export interface AppInfo {
  version: string;
  /** Which shell hosts the engine: 'electron' (desktop app) or 'node' (headless serve). */
  shell: 'electron' | 'node';
  dbPath: string;
}

export interface ApiContract {
  'app:info': () => AppInfo;
  'series:list': () => SeriesSummary[];
  'candles:buckets': (args: { seriesId: number; from: number; to: number; maxBuckets: number }) => CandleBucketsResult;
}

export type Channel = keyof ApiContract;
export type ArgsOf<C extends Channel> = Parameters<ApiContract[C]> extends [] ? void : Parameters<ApiContract[C]>[0];
export type ResultOf<C extends Channel> = ReturnType<ApiContract[C]>;

/** Events pushed from the engine to every connected front. */
export interface EventMap {
  /** Candles were written for a series (the dashboard refreshes that series only). */
  'candles:stored': { seriesId: number; count: number; lastTs: number | null };
  /** The set of series or their summaries changed. */
  'series:changed': { seriesId: number | null };
  /** A job was created, made progress or ended. */
  'job:progress': { job: Job };
  /** The engine started, paused, resumed or stopped. */
  'engine:state': { state: EngineState };
  /** An event was recorded (alerts, bans, repairs, revisions...). */
  'event:recorded': { event: EngineEvent };
}

export type EngineState = 'stopped' | 'running' | 'paused';

export type EventName = keyof EventMap;

/** Errors cross every bridge as data; the client side turns them back into a thrown Error. */
export type Envelope<R> = { result: R } | { error: { name: string; message: string } };

/** What the renderer sees, whatever transport carries it (window.candlekeep or WebSocket). */
export interface CandlekeepBridge {
  invoke<C extends Channel>(channel: C, ...args: ArgsOf<C> extends void ? [] : [ArgsOf<C>]): Promise<ResultOf<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
}

/** Turn an error envelope into a real Error on the calling side. */
export function unwrapEnvelope<R>(envelope: Envelope<R>): R {
  if ('error' in envelope) {
    const err = new Error(envelope.error.message);
    err.name = envelope.error.name;
    throw err;
  }
  return envelope.result;
}
