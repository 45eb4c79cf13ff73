/**
 * The one typed contract between the engine and every front (Electron IPC, HTTP + WebSocket).
 * Channels are `domain:verb`; each maps to (args) => result. Pushed events map name -> payload.
 * Main's handlers, the preload bridge and the WebSocket client are all typed from these maps.
 */
import type { z } from 'zod';
import type { channelArgs } from './schemas.js';
import type {
  Candle,
  CandleBucketsResult,
  EngineEvent,
  EventKind,
  EventSeverity,
  Hole,
  HoleState,
  Job,
  Series,
  SeriesSummary,
} from './domain.js';
import type { Alert, EngineStatusView, SeriesFreshness, SourceHealth } from './health.js';
import type { HistoryOverview, SeriesHistory, SourceHistory } from './history.js';
import type { DataFolderInfo, KeyStatus, Settings } from './settings.js';
import type { Timeframe } from './timeframe.js';
import type { QualityReport } from './quality.js';
import type { FleetStatus } from './fleet.js';

export interface AppInfo {
  version: string;
  /** Which shell hosts the engine: 'electron' (desktop app) or 'node' (headless serve). */
  shell: 'electron' | 'node';
  dbPath: string;
}

/** What a source can do, for pickers and plans. */
export interface SourceInfo {
  id: string;
  timeframes: Timeframe[];
  maxCandlesPerRequest: number;
  hasVolume: boolean;
  trading: '24/7' | 'sessions';
  /** How far back each timeframe reaches (ms), where limited. */
  lookbackMs: Partial<Record<Timeframe, number>>;
  notes?: string[];
}

export interface InstrumentInfo {
  symbol: string;
  name?: string;
  base?: string;
  quote?: string;
}

/** A series with how fresh and complete it is, for the overview table. */
export interface SeriesView extends SeriesSummary {
  freshness: SeriesFreshness;
  /** Stored / expected candles since the keep-from date, excluding settled holes (0..1, null: unknown). */
  completeness: number | null;
  /** Last error of its jobs, if failing. */
  lastError: string | null;
}

export type CoverageState = 'stored' | 'open' | 'confirmed_empty' | 'market_closed' | 'rejected' | 'unknown';

/** One cell of a gap map: how the expected candles of [from, to) are accounted for. */
export interface GapMapBucket {
  from: number;
  to: number;
  expected: number;
  stored: number;
  open: number;
  confirmedEmpty: number;
  marketClosed: number;
  rejected: number;
  /** Neither stored nor in the ledger: not fetched yet. */
  unknown: number;
  /** The state that colours the cell: the worst one present. */
  state: CoverageState;
  /** Causes of the holes in it, for the hover. */
  causes: string[];
}

export interface GapMapResult {
  seriesId: number;
  from: number;
  to: number;
  bucketMs: number;
  buckets: GapMapBucket[];
}

/** What a backfill would take, shown before it starts. */
export interface BackfillPlan {
  source: string;
  symbol: string;
  timeframe: Timeframe;
  from: number;
  to: number;
  candlesMissing: number;
  requests: number;
  weight: number;
  budgetPerMinute: number;
  estimatedSeconds: number;
  /** Requests replaced by bulk archive files, where the source has them. */
  archiveFiles: number;
}

/** A download of a series' candles over [from, to): GET `url` on the same origin streams the file. */
export interface ExportLink {
  /** Relative to the server's origin, e.g. /export?seriesId=1&from=…&to=…&format=parquet */
  url: string;
  filename: string;
  format: 'csv' | 'json' | 'parquet';
  /** Candles the file will hold. */
  candles: number;
}

export interface SeriesRef {
  seriesId: number;
}

/** A filter of the event log (its schema: `channelArgs['events:list']`). */
export type EventsQuery = ArgsOf<'events:list'>;

/**
 * What each channel answers. Its arguments are the zod schema's input (shared/schemas.ts `channelArgs`),
 * so the two are never written twice: `ArgsOf` derives them.
 */
export interface ApiResults {
  'app:info': AppInfo;
  'engine:status': EngineStatusView;
  'engine:pause': EngineStatusView;
  'engine:resume': EngineStatusView;
  'sources:list': SourceInfo[];
  'sources:health': SourceHealth[];
  'fleet:status': FleetStatus;
  'symbols:search': InstrumentInfo[];
  'series:list': SeriesView[];
  'series:add': Series;
  'series:pause': Series;
  'series:resume': Series;
  'series:remove': { removedCandles: number };
  'candles:buckets': CandleBucketsResult;
  'candles:export': ExportLink;
  'gaps:map': GapMapResult;
  'holes:list': Hole[];
  'jobs:list': Job[];
  'backfill:plan': BackfillPlan;
  'backfill:start': Job;
  'jobs:cancel': Job[];
  'jobs:pause': Job[];
  'jobs:resume': Job[];
  'jobs:retry': Job;
  'events:list': EngineEvent[];
  'alerts:active': Alert[];
  'settings:get': Settings;
  'settings:update': Settings;
  'keys:status': KeyStatus[];
  'keys:set': KeyStatus[];
  'keys:clear': KeyStatus[];
  'data:info': DataFolderInfo;
  /** Data quality per series (shared/quality.ts); every series when `seriesIds` is absent. */
  'quality:report': QualityReport[];
  /** Who this connection is and what it may do (the dashboard shows admin-only pages from it). */
  'session:info': SessionInfo;
  /** The audit log, newest first (admins only). */
  'audit:list': AuditEntry[];
  /** Every source's last 60 minutes and the SLOs over 24 hours and 7 days (shared/history.ts). */
  'history:overview': HistoryOverview;
  /** One source's requests over a range: success, latency, 429/418, errors by kind, weight, breaker changes. */
  'history:source': SourceHistory;
  /** One series' completeness and lag over a range, and its holes per day. */
  'history:series': SeriesHistory;
}

/** What a caller may do: `read` every read channel and pushed event, `admin` also change things. */
export type Role = 'read' | 'admin';

export interface SessionInfo {
  actor: string;
  role: Role;
}

/**
 * What calling a channel does, in one place for every transport: `read` is open to every role and
 * not audited, `change` needs an admin and is audited, `admin-read` needs an admin but changes
 * nothing (the audit log itself: reading it is not recorded in it).
 */
export type ChannelAccess = 'read' | 'change' | 'admin-read';

export const CHANNEL_ACCESS = {
  'app:info': 'read',
  'engine:status': 'read',
  'engine:pause': 'change',
  'engine:resume': 'change',
  'sources:list': 'read',
  'sources:health': 'read',
  'fleet:status': 'read',
  'symbols:search': 'read',
  'series:list': 'read',
  'series:add': 'change',
  'series:pause': 'change',
  'series:resume': 'change',
  'series:remove': 'change',
  'candles:buckets': 'read',
  'candles:export': 'read',
  'gaps:map': 'read',
  'holes:list': 'read',
  'jobs:list': 'read',
  'backfill:plan': 'read',
  'backfill:start': 'change',
  'jobs:cancel': 'change',
  'jobs:pause': 'change',
  'jobs:resume': 'change',
  'jobs:retry': 'change',
  'events:list': 'read',
  'alerts:active': 'read',
  'settings:get': 'read',
  'settings:update': 'change',
  'keys:status': 'read',
  'keys:set': 'change',
  'keys:clear': 'change',
  'data:info': 'read',
  'quality:report': 'read',
  'session:info': 'read',
  'audit:list': 'admin-read',
  'history:overview': 'read',
  'history:source': 'read',
  'history:series': 'read',
} as const satisfies Record<keyof ApiContract, ChannelAccess>;

/** Whether `role` may call a channel of this access. */
export function mayCall(role: Role, access: ChannelAccess): boolean {
  return access === 'read' || role === 'admin';
}

export type AuditOutcome = 'ok' | 'refused' | 'error';

/** One row of the audit log: who tried to change what, from where, and what came of it. */
export interface AuditEntry {
  id: number;
  ts: number;
  /** `desktop`, `cli:<user>@<host>`, `token:<name>`, `dashboard` or `anonymous` (refused before it was known). */
  actor: string;
  remote: string | null;
  channel: string;
  /** The arguments, secrets replaced by "[redacted]". */
  args: unknown;
  outcome: AuditOutcome;
  /** Why it was refused, or the error's message. */
  reason: string | null;
}

/** A filter of the audit log (its schema: `channelArgs['audit:list']`). */
export type AuditQuery = ArgsOf<'audit:list'>;

/** A partial update of the settings: each given section replaces those fields (its schema: `settingsPatchSchema`). */
export type SettingsPatch = ArgsOf<'settings:update'>['patch'];

export type Channel = keyof ApiResults;
/** A channel's arguments as a caller sends them (void for a channel that takes none). */
export type ArgsOf<C extends Channel> =
  z.input<(typeof channelArgs)[C]> extends undefined ? void : z.input<(typeof channelArgs)[C]>;
export type ResultOf<C extends Channel> = ApiResults[C];
/** Every channel as a function: its arguments and its answer. */
export type ApiContract = { [C in Channel]: (args: ArgsOf<C>) => ResultOf<C> };

/** Events pushed from the engine to every connected front. */
export interface EventMap {
  /** Candles were written for a series (the dashboard refreshes that series only). */
  'candles:stored': { seriesId: number; count: number; lastTs: number | null };
  /** A live stream's update of a series' still-forming candle (never stored). */
  'candles:forming': { seriesId: number; candle: Candle };
  /** The set of series or their summaries changed. */
  'series:changed': { seriesId: number | null };
  /** A job was created, made progress or ended. */
  'job:progress': { job: Job };
  /** The engine started, paused, resumed or stopped. */
  'engine:state': { state: EngineState };
  /** An event was recorded (alerts, bans, repairs, revisions...). */
  'event:recorded': { event: EngineEvent };
  /** Source health changed (pushed at most every few seconds). */
  'health:changed': { sources: SourceHealth[]; status: EngineStatusView };
  /** An alert became active. */
  'alert:raised': { alert: Alert };
  /** An alert's condition ended. */
  'alert:cleared': { alert: Alert };
  /** Settings were changed (by any front). */
  'settings:changed': { settings: Settings };
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
