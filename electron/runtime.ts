/**
 * Wiring of one running Candlekeep: the store, the network state (budgets, hosts, breakers), the
 * engine, the event bus and the contract handlers, shared by `serve`, `daemon`, `sync`, `demo` and
 * the Electron main process. No Electron import here.
 */
import { appDataDir } from './store/app-paths.js';
import { readFileSync } from 'node:fs';
import { Store } from './store/store.js';
import { EventBus } from '../shared/event-bus.js';
import { createHandlers, type Handlers } from './server/api.js';
import { systemClock, type Clock } from './net/clock.js';
import { Network } from './net/network.js';
import { Engine, type EngineConfig } from './engine/engine.js';
import { recordEvent } from './engine/events.js';
import { createSource } from './sources/registry.js';
import { bulkHistoryFor } from './engine/bulk-registry.js';
import { createKlineStream, streamsEnabled } from './sources/stream-registry.js';
import type { Source } from './sources/source.js';
import { HealthService } from './health/health-service.js';
import { HistoryService } from './health/history-service.js';
import { HistorySampler } from './health/history-sampler.js';
import { AlertService } from './alerts/alert-service.js';
import type { SecretStore } from './secrets/secret-store.js';
import { FileSecretStore, defaultHeadlessSecretsPath } from './secrets/file-secret-store.js';
import { sourceEnvironment } from './source-environment.js';
import { createLogger, silentLogger, type Logger } from './logging/logger.js';
import path from 'node:path';
import type { AppInfo } from '../shared/contract.js';
import { AuditRecorder } from './audit/audit-recorder.js';
import { ConfigWatch } from './app/config-watch.js';
import { applySeriesChange } from './app/series-operations.js';
import type { SeriesOwnership } from './engine/series-ownership.js';

/** How often old audit rows and old config changes are pruned while the engine runs. */
const AUDIT_PRUNE_EVERY_MS = 6 * 3_600_000;
/** Config changes are kept this long: an engine that slept longer reloads everything instead. */
const CONFIG_CHANGES_KEPT_MS = 7 * 86_400_000;

export interface RuntimeOptions {
  dbPath: string;
  shell: AppInfo['shell'];
  clock?: Clock;
  env?: NodeJS.ProcessEnv;
  engine?: Partial<EngineConfig>;
  /** better-sqlite3 addon built for this runtime (the desktop app's Electron build); unset in Node. */
  nativeBinding?: string;
  /** Where API keys live: safeStorage in the desktop app; a 0600 file beside the data headless. */
  secrets?: SecretStore;
  /** Log to <data folder>/logs/candlekeep.log, and to this stream if given (serve, daemon). */
  logToFile?: boolean;
  logConsole?: NodeJS.WritableStream & { isTTY?: boolean };
  /**
   * Run the engine (default). False for a `serve` that shows and changes a database another
   * process collects into: its changes reach that engine through the config change log.
   */
  collect?: boolean;
  /** In a fleet, the series this collector holds leases on (absent: the engine works on every series). */
  ownership?: SeriesOwnership;
}

export interface Runtime {
  store: Store;
  events: EventBus;
  handlers: Handlers;
  clock: Clock;
  env: NodeJS.ProcessEnv;
  network: Network;
  engine: Engine;
  health: HealthService;
  /** Health over time and the SLOs. */
  history: HistoryService;
  alerts: AlertService;
  secrets: SecretStore;
  log: Logger;
  /** Every change and refused attempt, from every front. */
  audit: AuditRecorder;
  /** Changes other processes make to the same database, applied to this one while it runs. */
  configWatch: ConfigWatch;
  /** Whether this process runs the engine (see RuntimeOptions.collect). */
  collecting: boolean;
  /** Start the engine and the alert loop (serve, daemon, the desktop app). */
  start(): Promise<void>;
  close(): Promise<void>;
}

export const APP_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export function createRuntime(options: RuntimeOptions): Runtime {
  const store = Store.open(options.dbPath, { nativeBinding: options.nativeBinding, backgroundCheckpoints: true });
  if (store.readonly) {
    store.close();
    throw new Error(`${store.file} was written by a newer Candlekeep; upgrade Candlekeep to use it`);
  }
  const events = new EventBus();
  const clock = options.clock ?? systemClock;
  const env = options.env ?? process.env;
  const secrets = options.secrets ?? new FileSecretStore(defaultHeadlessSecretsPath(env));
  const log =
    options.logToFile || options.logConsole
      ? createLogger({
          // Beside the SQLite file; with PostgreSQL, in the data folder of this machine.
          file: options.logToFile
            ? path.join(
                store.dialect === 'sqlite' ? path.dirname(store.file) : appDataDir(env),
                'logs',
                'candlekeep.log',
              )
            : undefined,
          console: options.logConsole,
          secrets: () => secretValues(secrets),
        })
      : silentLogger;
  events.on('event:recorded', ({ event }) =>
    log[event.severity === 'info' ? 'info' : event.severity === 'warning' ? 'warn' : 'error'](event.message, {
      kind: event.kind,
      source: event.source,
      seriesId: event.seriesId,
    }),
  );
  const network = new Network(clock, {
    onRequest: (outcome) => {
      store.requests.add(outcome);
      if (outcome.outcome !== 'ok' && outcome.outcome !== 'rejected')
        log.warn(`${outcome.source} request failed: ${outcome.error ?? outcome.outcome}`, {
          host: outcome.host,
          status: outcome.status,
          outcome: outcome.outcome,
        });
    },
    onRateLimit: (n) =>
      n.status === 418
        ? recordEvent(
            { store, clock, events },
            {
              kind: 'ban',
              severity: 'error',
              source: n.source,
              message: `${n.source} banned this IP until ${new Date(n.until).toISOString()}: ${n.message}`,
              data: { host: n.host, until: n.until },
            },
          )
        : recordEvent(
            { store, clock, events },
            {
              kind: 'rate_limited',
              severity: 'warning',
              source: n.source,
              message: `${n.source} answered 429 (our pacing let too much through); waiting until ${new Date(n.until).toISOString()}`,
              data: { host: n.host, until: n.until },
            },
          ),
  });
  const sources = new Map<string, Source>();
  let sourceEnv = sourceEnvironment(store.settings.get(), secrets, env);
  const sourceFor = (id: string): Source => {
    let source = sources.get(id);
    if (!source) {
      source = createSource(id, { clock, env: sourceEnv, network });
      sources.set(id, source);
    }
    return source;
  };
  const settings = store.settings.get();
  const bulkFor = (source: Source) => bulkHistoryFor(source, { store, clock, env: sourceEnv });
  const engine = new Engine({
    store,
    clock,
    network,
    events,
    sourceFor,
    bulkFor,
    ownership: options.ownership,
    config: { sweepCron: settings.sweepCron, ...options.engine },
    streamFor: (id, streamHandlers) =>
      createKlineStream(
        id,
        { clock, network, env: sourceEnv, enabled: streamsEnabled(store.settings.get().sources.streams, env) },
        streamHandlers,
      ),
  });
  const health = new HealthService(store, network, engine, clock);
  const history = new HistoryService(
    store,
    clock,
    engine.config.tail,
    (source) => network.budgetOf(source)?.snapshot() ?? null,
  );
  const sampler = new HistorySampler(store, health, network, clock, log);
  const alerts = new AlertService(store, health, clock, events, history);
  const handlers = createHandlers({
    store,
    engine,
    network,
    clock,
    health,
    history,
    alerts,
    secrets,
    events,
    sourceFor,
    bulkFor,
    info: { version: APP_VERSION, shell: options.shell, dbPath: store.file },
    settingsChanged: () => sourcesChanged(),
    collecting: options.collect ?? true,
  });
  // What sources are built from; rebuilt only when it differs, as the change log also brings back
  // this process's own changes, already applied.
  let appliedSources = sourcesFingerprint();
  function sourcesFingerprint(): string {
    return JSON.stringify([store.settings.get(), secrets.list()]);
  }
  function sourcesChanged(): void {
    appliedSources = sourcesFingerprint();
    sourceEnv = sourceEnvironment(store.settings.get(), secrets, env);
    sources.clear();
    engine.resetSources();
    // A --sweep-cron given to this process wins over the settings for as long as it runs.
    engine.setSweepCron(options.engine?.sweepCron ?? store.settings.get().sweepCron);
    engine.restartStreams();
  }
  const configWatch = new ConfigWatch({
    store,
    clock: systemClock,
    onError: (err) => log.warn(`applying a configuration change failed: ${err.message}`),
    apply: {
      series: (ids) => {
        for (const id of ids) applySeriesChange({ engine }, id);
        log.info('series changed elsewhere: applied', { series: ids });
      },
      settings: () => {
        if (sourcesFingerprint() === appliedSources) return;
        sourcesChanged();
        events.emit('settings:changed', { settings: store.settings.get() });
        log.info('settings changed elsewhere: applied');
      },
      keys: () => {
        if (sourcesFingerprint() === appliedSources) return;
        sourcesChanged();
        log.info('API keys changed elsewhere: applied');
      },
      // Tokens are checked against the database on every request: nothing to reload.
      tokens: () => undefined,
    },
  });
  const audit = new AuditRecorder(store, clock);
  const pruneAudit = (): void => {
    audit.prune().catch((err: Error) => log.warn(`pruning the audit log failed: ${err.message}`));
    try {
      store.configChanges.prune(systemClock.now() - CONFIG_CHANGES_KEPT_MS); // rows carry wall time
    } catch (err) {
      log.warn(`pruning the config change log failed: ${(err as Error).message}`);
    }
  };
  let pruneTimer: NodeJS.Timeout | null = null;
  let started = false;
  return {
    store,
    events,
    handlers,
    clock,
    env,
    network,
    engine,
    health,
    history,
    alerts,
    secrets,
    log,
    audit,
    configWatch,
    collecting: options.collect ?? true,
    async start() {
      if (started) return;
      started = true;
      // Watching from before the engine plans: a change made while it starts is not missed.
      configWatch.start();
      if (options.collect ?? true) {
        log.info('engine starting', { database: store.file, series: store.series.list().length });
        await engine.start();
      } else {
        log.info('not collecting: another process runs the engine on this database', { database: store.file });
      }
      alerts.start();
      sampler.start();
      pruneAudit();
      pruneTimer = setInterval(pruneAudit, AUDIT_PRUNE_EVERY_MS);
      pruneTimer.unref();
    },
    async close() {
      if (pruneTimer) clearInterval(pruneTimer);
      await configWatch.stop();
      await alerts.stop();
      await sampler.stop();
      await engine.stop();
      network.stop();
      store.close();
    },
  };
}

/** Every stored key's value, for the log redactor only. */
function secretValues(secrets: SecretStore): string[] {
  return secrets
    .list()
    .map((s) => secrets.get(s.name) ?? '')
    .filter(Boolean);
}
