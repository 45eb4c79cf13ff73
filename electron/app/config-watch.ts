/**
 * Changes made elsewhere, applied here: polls the database's change log (store/config-change-store)
 * and hands each kind of change to whoever applies it, so a series added by the CLI, settings
 * saved in another process's dashboard or a key set by another engine on the same file take effect
 * in this running engine within a poll or two. A poll that finds nothing costs one PRAGMA.
 */
import type { Store } from '../store/store.js';
import type { Clock } from '../net/clock.js';
import type { ConfigChange } from '../store/config-change-store.js';

/** What a running Candlekeep does with each kind of change. */
export interface ConfigAppliers {
  /** These series were added, changed or removed. */
  series(seriesIds: number[]): void;
  settings(): void;
  keys(): void;
  tokens(): void;
}

export interface ConfigWatchOptions {
  store: Store;
  /** The wall clock: other processes change the file in real time, whatever clock the engine runs on. */
  clock: Clock;
  apply: ConfigAppliers;
  /** A change that could not be applied (the watch goes on with the next). */
  onError: (err: Error) => void;
  pollMs?: number;
}

/** Within the 5 s a change is promised to take effect in, with room to spare. */
export const CONFIG_POLL_MS = 1_000;

export class ConfigWatch {
  private lastSeen = 0;
  private dataVersion = -1;
  private readonly stopper = new AbortController();
  private loop: Promise<void> | null = null;

  constructor(private readonly options: ConfigWatchOptions) {}

  /** From now on: what was stored before is what the engine starts from. */
  start(): void {
    if (this.loop) return;
    this.lastSeen = this.options.store.configChanges.latest();
    this.dataVersion = this.options.store.configChanges.dataVersion();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopper.abort();
    await this.loop;
  }

  /** Apply what changed since the last poll; returns how many changes were read. */
  poll(): number {
    const { store } = this.options;
    const version = store.configChanges.dataVersion();
    // Only commits by other connections move data_version: this process applies its own at once.
    if (version === this.dataVersion) return 0;
    this.dataVersion = version;
    let read = 0;
    for (;;) {
      const changes = store.configChanges.since(this.lastSeen);
      if (!changes.length) return read;
      // Ids have no gaps but where rows were pruned before this engine read them (it slept for
      // days): then what changed is unknown, and everything is reloaded.
      this.applyAll(changes, changes[0]!.id > this.lastSeen + 1);
      this.lastSeen = changes[changes.length - 1]!.id;
      read += changes.length;
    }
  }

  private applyAll(changes: ConfigChange[], everything: boolean): void {
    const { apply } = this.options;
    const kinds = new Set(changes.map((c) => c.kind));
    const seriesIds = [
      ...new Set(changes.filter((c) => c.kind === 'series' && c.subject !== null).map((c) => c.subject!)),
    ];
    if (everything)
      seriesIds.push(
        ...this.options.store.series
          .list()
          .map((s) => s.id)
          .filter((id) => !seriesIds.includes(id)),
      );
    this.guarded(() => (seriesIds.length ? apply.series(seriesIds) : undefined));
    if (everything || kinds.has('settings')) this.guarded(() => apply.settings());
    if (everything || kinds.has('keys')) this.guarded(() => apply.keys());
    if (everything || kinds.has('tokens')) this.guarded(() => apply.tokens());
  }

  private guarded(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.options.onError(err as Error);
    }
  }

  private async run(): Promise<void> {
    const signal = this.stopper.signal;
    while (!signal.aborted) {
      await this.options.clock.sleep(this.options.pollMs ?? CONFIG_POLL_MS, signal);
      if (signal.aborted) break;
      try {
        this.poll();
      } catch (err) {
        // A busy or closing database: the next poll tries again.
        this.options.onError(err as Error);
      }
    }
  }
}
