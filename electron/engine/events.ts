/** Recording an event: into the events table (the dashboard's event view) and out to every front. */
import type { Store } from '../store/store.js';
import type { EventBus } from '../../shared/event-bus.js';
import type { EngineEvent } from '../../shared/domain.js';
import type { Clock } from '../net/clock.js';

export interface EventDeps {
  store: Store;
  clock: Clock;
  events?: EventBus;
}

export type NewEvent = Pick<EngineEvent, 'kind' | 'severity' | 'message'> &
  Partial<Pick<EngineEvent, 'seriesId' | 'source' | 'data'>>;

export function recordEvent(deps: EventDeps, event: NewEvent): EngineEvent {
  const stored = deps.store.events.record({
    at: deps.clock.now(),
    kind: event.kind,
    severity: event.severity,
    seriesId: event.seriesId ?? null,
    source: event.source ?? null,
    message: event.message,
    data: event.data ?? null,
  });
  deps.events?.emit('event:recorded', { event: stored });
  return stored;
}
