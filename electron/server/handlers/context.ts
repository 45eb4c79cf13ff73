/** Everything the contract's handlers reach: one running Candlekeep (see runtime.ts). */
import type { Store } from '../../store/store.js';
import type { Engine } from '../../engine/engine.js';
import type { Network } from '../../net/network.js';
import type { Clock } from '../../net/clock.js';
import type { HealthService } from '../../health/health-service.js';
import type { HistoryService } from '../../health/history-service.js';
import type { AlertService } from '../../alerts/alert-service.js';
import type { SecretStore } from '../../secrets/secret-store.js';
import type { EventBus } from '../../../shared/event-bus.js';
import type { Source } from '../../sources/source.js';
import type { ArchiveBackfill } from '../../engine/archive-backfill.js';

type BulkHistory = ArchiveBackfill;
import type { AppInfo } from '../../../shared/contract.js';

export interface ApiContext {
  store: Store;
  info: AppInfo;
  engine: Engine;
  network: Network;
  clock: Clock;
  health: HealthService;
  /** Health over time and the SLOs. */
  history: HistoryService;
  alerts: AlertService;
  secrets: SecretStore;
  events: EventBus;
  /** The process's source object for an id (shared budgets); throws a readable error for an unknown id. */
  sourceFor: (id: string) => Source;
  /** Bulk history for a source (Binance's archives), for plans. */
  bulkFor: (source: Source) => BulkHistory | undefined;
  /** Settings changed: sources and the engine pick them up. */
  settingsChanged: () => void;
  /** False in a `serve --no-engine`: the engine that would run a backfill is in another process. */
  collecting?: boolean;
}
