/**
 * Hash routes, so a notification or an alert can open a page directly ('#/series/12'):
 *   #/ (overview) · #/series · #/series/12 · #/series/12?section=quality · #/chart/12?from=&to= ·
 *   #/source/binance · #/backfill · #/events · #/quality · #/settings · #/audit
 */
import { useSyncExternalStore } from 'react';

export type Route =
  | { page: 'overview' }
  /** `section` scrolls a series' page to one part of it (the Quality page links to its report). */
  | { page: 'series'; seriesId: number | null; section?: SeriesSection }
  /** One source's health over time; ids like 'ccxt:kraken' travel URI-encoded. */
  | { page: 'source'; source: string }
  | { page: 'chart'; seriesId: number | null; from: number | null; to: number | null }
  | { page: 'backfill' }
  | { page: 'events' }
  | { page: 'quality' }
  | { page: 'settings' }
  | { page: 'audit' };

export type SeriesSection = 'quality';

export type PageName = Route['page'];

function idOf(part: string | undefined): number | null {
  return part && /^\d{1,9}$/.test(part) ? Number(part) : null;
}

function sourceOf(part: string | undefined): string | null {
  try {
    const id = part ? decodeURIComponent(part) : '';
    return /^[a-z][a-z0-9]*(:[a-z0-9]+)?$/.test(id) ? id : null;
  } catch {
    return null;
  }
}

function msOf(value: string | null): number | null {
  return value && /^\d{1,16}$/.test(value) ? Number(value) : null;
}

/** The route a hash names; anything unknown is the overview. */
export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [page, id] = path.split('/');
  const params = new URLSearchParams(query);
  switch (page) {
    case 'series': {
      const seriesId = idOf(id);
      return seriesId !== null && params.get('section') === 'quality'
        ? { page: 'series', seriesId, section: 'quality' }
        : { page: 'series', seriesId };
    }
    case 'source': {
      const source = sourceOf(id);
      return source ? { page: 'source', source } : { page: 'overview' };
    }
    case 'chart':
      return { page: 'chart', seriesId: idOf(id), from: msOf(params.get('from')), to: msOf(params.get('to')) };
    case 'backfill':
    case 'events':
    case 'quality':
    case 'settings':
    case 'audit':
      return { page };
    default:
      return { page: 'overview' };
  }
}

/** The hash of a route, e.g. '#/chart/3?from=1&to=2'. */
export function hrefOf(route: Route): string {
  switch (route.page) {
    case 'overview':
      return '#/';
    case 'series':
      if (route.seriesId === null) return '#/series';
      return route.section ? `#/series/${route.seriesId}?section=${route.section}` : `#/series/${route.seriesId}`;
    case 'source':
      return `#/source/${encodeURIComponent(route.source)}`;
    case 'chart': {
      const base = route.seriesId === null ? '#/chart' : `#/chart/${route.seriesId}`;
      return route.from !== null && route.to !== null ? `${base}?from=${route.from}&to=${route.to}` : base;
    }
    default:
      return `#/${route.page}`;
  }
}

/** An alert's page ('overview', 'series/3') as a hash. */
export function hrefOfPage(page: string): string {
  return hrefOf(parseRoute(`#/${page}`));
}

export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  const href = hrefOf(route);
  if (options.replace) history.replaceState(null, '', href);
  else location.hash = href;
  if (options.replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The current route; re-renders on hash changes. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => location.hash);
  return parseRoute(hash);
}
