/**
 * A log read newest first, a page at a time, for a filter the page sets: the events log and the audit
 * log. A newer query wins over an older one still in flight; older pages load on demand, bounded.
 */
import { create } from 'zustand';

export interface PagedLogState<Q, T> {
  query: Q;
  items: T[];
  loaded: boolean;
  loading: boolean;
  /** False once a page came back short: nothing older to load. */
  more: boolean;
  error: string | null;
}

export interface PagedLogSource<Q, T> {
  /** One page of at most `limit` items matching `query`, older than `before` when given. */
  fetch: (query: Q, limit: number, before?: number) => Promise<T[]>;
  id: (item: T) => number;
  at: (item: T) => number;
  page: number;
  max: number;
}

export function pagedLog<Q extends object, T>(source: PagedLogSource<Q, T>) {
  const store = create<PagedLogState<Q, T>>()(() => ({
    query: {} as Q,
    items: [],
    loaded: false,
    loading: false,
    more: true,
    error: null,
  }));
  let generation = 0;

  async function query(query: Q): Promise<void> {
    const mine = ++generation;
    store.setState({ query, loading: true });
    try {
      const items = await source.fetch(query, source.page);
      if (mine !== generation) return;
      store.setState({ items, loaded: true, loading: false, more: items.length === source.page, error: null });
    } catch (err) {
      if (mine === generation) store.setState({ loaded: true, loading: false, error: (err as Error).message });
    }
  }

  async function loadOlder(): Promise<void> {
    const { query: current, items, loading } = store.getState();
    const oldest = items[items.length - 1];
    if (loading || !oldest) return;
    const mine = generation;
    store.setState({ loading: true });
    try {
      const older = await source.fetch(current, source.page, source.at(oldest));
      if (mine !== generation) return;
      const known = new Set(items.map(source.id));
      const merged = [...items, ...older.filter((e) => !known.has(source.id(e)))].slice(0, source.max);
      store.setState({
        items: merged,
        loading: false,
        more: older.length === source.page && merged.length < source.max,
      });
    } catch (err) {
      store.setState({ loading: false, error: (err as Error).message });
    }
  }

  return { store, query, loadOlder };
}
