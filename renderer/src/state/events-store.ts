/**
 * The event log: the page's current query ('events:list'), with pushed 'event:recorded' events that
 * match it prepended. Bounded to `MAX_EVENTS`; older pages load on demand.
 */
import { create } from 'zustand';
import type { EventsQuery } from '../../../shared/contract';
import type { EngineEvent } from '../../../shared/domain';
import { bridge } from '../bridge';

const PAGE = 100;
const MAX_EVENTS = 1_000;

interface EventsState {
  query: EventsQuery;
  events: EngineEvent[];
  loaded: boolean;
  loading: boolean;
  /** False once a page came back short: nothing older to load. */
  more: boolean;
  error: string | null;
}

export const useEventsStore = create<EventsState>()(() => ({ query: {}, events: [], loaded: false, loading: false, more: true, error: null }));

let generation = 0;

export async function queryEvents(query: EventsQuery): Promise<void> {
  const mine = ++generation;
  useEventsStore.setState({ query, loading: true });
  try {
    const events = await bridge.invoke('events:list', { ...query, limit: PAGE });
    if (mine !== generation) return;
    useEventsStore.setState({ events, loaded: true, loading: false, more: events.length === PAGE, error: null });
  } catch (err) {
    if (mine === generation) useEventsStore.setState({ loaded: true, loading: false, error: (err as Error).message });
  }
}

export async function loadOlderEvents(): Promise<void> {
  const { query, events, loading } = useEventsStore.getState();
  const oldest = events[events.length - 1];
  if (loading || !oldest) return;
  const mine = generation;
  useEventsStore.setState({ loading: true });
  try {
    const older = await bridge.invoke('events:list', { ...query, before: oldest.at, limit: PAGE });
    if (mine !== generation) return;
    const known = new Set(events.map((e) => e.id));
    const merged = [...events, ...older.filter((e) => !known.has(e.id))].slice(0, MAX_EVENTS);
    useEventsStore.setState({ events: merged, loading: false, more: older.length === PAGE && merged.length < MAX_EVENTS });
  } catch (err) {
    useEventsStore.setState({ loading: false, error: (err as Error).message });
  }
}

export function matches(query: EventsQuery, e: EngineEvent): boolean {
  if (query.kinds?.length && !query.kinds.includes(e.kind)) return false;
  if (query.severity && e.severity !== query.severity) return false;
  if (query.seriesId !== undefined && e.seriesId !== query.seriesId) return false;
  if (query.source !== undefined && e.source !== query.source) return false;
  return query.before === undefined;
}

export function eventRecorded(event: EngineEvent): void {
  useEventsStore.setState((s) => {
    if (!s.loaded || !matches(s.query, event) || s.events.some((e) => e.id === event.id)) return s;
    return { events: [event, ...s.events].slice(0, MAX_EVENTS) };
  });
}
