/**
 * The event log: the page's current query ('events:list'), with pushed 'event:recorded' events that
 * match it prepended. Bounded to `MAX_EVENTS`; older pages load on demand.
 */
import type { EventsQuery } from '../../../shared/contract';
import type { EngineEvent } from '../../../shared/domain';
import { bridge } from '../bridge';
import { pagedLog } from './paged-log';

const MAX_EVENTS = 1_000;

const log = pagedLog<EventsQuery, EngineEvent>({
  fetch: (query, limit, before) =>
    bridge.invoke('events:list', { ...query, limit, ...(before === undefined ? {} : { before }) }),
  id: (e) => e.id,
  at: (e) => e.at,
  page: 100,
  max: MAX_EVENTS,
});

export const useEventsStore = log.store;
export const queryEvents = log.query;
export const loadOlderEvents = log.loadOlder;

export function matches(query: EventsQuery, e: EngineEvent): boolean {
  if (query.kinds?.length && !query.kinds.includes(e.kind)) return false;
  if (query.severity && e.severity !== query.severity) return false;
  if (query.seriesId !== undefined && e.seriesId !== query.seriesId) return false;
  if (query.source !== undefined && e.source !== query.source) return false;
  return query.before === undefined;
}

export function eventRecorded(event: EngineEvent): void {
  useEventsStore.setState((s) => {
    if (!s.loaded || !matches(s.query, event) || s.items.some((e) => e.id === event.id)) return s;
    return { items: [event, ...s.items].slice(0, MAX_EVENTS) };
  });
}
