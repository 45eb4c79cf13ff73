/** The store facade the engine and the API use: one database, one object per table family. */
import { openDatabase, type Db, type OpenedDatabase, type OpenOptions } from './database.js';
import { CandleStore } from './candle-store.js';
import { SeriesStore } from './series-store.js';
import { HoleStore } from './hole-store.js';
import { EventStore } from './event-store.js';
import { RequestStore } from './request-store.js';
import { HistoryStore } from './history-store.js';
import { HistoryQueries } from './history-queries.js';
import { Checkpointer } from './checkpointer.js';
import { SettingsStore } from './settings-store.js';
import { RejectedStore } from './rejected-store.js';
import { QualityStore } from './quality-store.js';
import { AssetStore } from './asset-store.js';
import { RevisionStore } from './revision-store.js';
import { TokenStore } from './token-store.js';
import { AuditStore } from './audit-store.js';
import { ConfigChangeStore } from './config-change-store.js';
import { dialectOf, type SqlDialect } from './sql-db.js';
import { isServerUrl, openPostgres } from './postgres/pg-open.js';
import type { PgDb } from './postgres/pg-db.js';

export interface StoreOptions extends OpenOptions {
  /** Checkpoint the WAL from a worker thread (long-running processes that share their event loop with a UI). */
  backgroundCheckpoints?: boolean;
}

export class Store {
  readonly db: Db;
  /** The SQLite file, or the PostgreSQL URL without its password. */
  readonly file: string;
  readonly readonly: boolean;
  readonly dialect: SqlDialect;
  readonly candles: CandleStore;
  readonly series: SeriesStore;
  readonly holes: HoleStore;
  readonly events: EventStore;
  readonly requests: RequestStore;
  /** Health over time: request buckets, series samples, the hole log, breaker changes. */
  readonly history: HistoryStore;
  readonly historyQueries: HistoryQueries;
  readonly settings: SettingsStore;
  /** Data quality: the quarantine, quality flags, assets across sources, revision re-reads. */
  readonly rejected: RejectedStore;
  readonly quality: QualityStore;
  readonly assets: AssetStore;
  readonly revisions: RevisionStore;
  readonly tokens: TokenStore;
  readonly audit: AuditStore;
  /** The change log of configuration, which running engines poll. */
  readonly configChanges: ConfigChangeStore;
  private readonly checkpointer: Checkpointer | null;

  constructor(opened: OpenedDatabase, options: StoreOptions = {}) {
    this.db = opened.db;
    this.file = opened.file;
    this.readonly = opened.readonly;
    this.dialect = dialectOf(this.db);
    this.candles = new CandleStore(this.db);
    this.series = new SeriesStore(this.db, this.candles);
    this.holes = new HoleStore(this.db);
    this.events = new EventStore(this.db);
    this.history = new HistoryStore(this.db);
    this.historyQueries = new HistoryQueries(this.db);
    this.requests = new RequestStore(this.db, this.history);
    this.settings = new SettingsStore(this.db);
    this.rejected = new RejectedStore(this.db);
    this.quality = new QualityStore(this.db);
    this.assets = new AssetStore(this.db);
    this.revisions = new RevisionStore(this.db);
    this.tokens = new TokenStore(this.db);
    this.audit = new AuditStore(this.db);
    this.configChanges = new ConfigChangeStore(this.db);
    this.checkpointer =
      options.backgroundCheckpoints && this.dialect === 'sqlite' && !this.readonly && this.file !== ':memory:'
        ? new Checkpointer(this.db, this.file, options.nativeBinding)
        : null;
  }

  /** Open `target`: an SQLite file path, or a `postgres://` URL (PostgreSQL, postgres/pg-open.ts). */
  static open(target: string, options: StoreOptions = {}): Store {
    return new Store(isServerUrl(target) ? openPostgres(target, options) : openDatabase(target, options), options);
  }

  /** Hold background checkpoints while bulk history is written (see Checkpointer.hold); call the result to release. */
  holdCheckpoints(): () => void {
    return this.checkpointer?.hold() ?? (() => undefined);
  }

  /**
   * Run `fn` in one transaction: everything it writes is committed whole or not at all. A call inside
   * another is a savepoint of it, so an inner failure the caller catches undoes only its own writes.
   * `immediate` takes the write lock before `fn` reads anything.
   */
  transaction<T>(fn: () => T, options: { immediate?: boolean } = {}): T {
    const tx = this.db.transaction(fn);
    try {
      return options.immediate ? tx.immediate() : tx();
    } catch (err) {
      // Counts kept up to date by writes that were just undone; each is counted again when asked for.
      this.candles.forgetTotals();
      throw err;
    }
  }

  /**
   * `transaction`, for a caller that can go on while it commits: on PostgreSQL the candles written
   * inside are sent with the COMMIT, which is awaited instead of blocked on (PgDb.transactionAsync).
   * `fn` must only touch the database: it may run twice (a duplicate key found at the commit).
   */
  async transactionAsync<T>(fn: () => T): Promise<T> {
    if (this.dialect !== 'postgres') return this.transaction(fn);
    let runs = 0;
    try {
      return await (this.db as PgDb).transactionAsync(() => {
        // A second run follows a rollback of the first, whose writes the counts had counted.
        if (runs++) this.candles.forgetTotals();
        return fn();
      });
    } catch (err) {
      this.candles.forgetTotals();
      throw err;
    }
  }

  close(): void {
    void this.checkpointer?.stop();
    if (this.db.open) {
      this.requests.flush();
      this.db.close();
    }
  }
}
