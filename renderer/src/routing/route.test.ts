import { describe, expect, it } from 'vitest';
import { hrefOf, parseRoute, type Route } from './route';

describe('routes', () => {
  it.each<[string, Route]>([
    ['#/', { page: 'overview' }],
    ['#/quality', { page: 'quality' }],
    ['#/series', { page: 'series', seriesId: null }],
    ['#/series/12', { page: 'series', seriesId: 12 }],
    ['#/series/12?section=quality', { page: 'series', seriesId: 12, section: 'quality' }],
    ['#/chart/3?from=1&to=2', { page: 'chart', seriesId: 3, from: 1, to: 2 }],
    ['#/settings', { page: 'settings' }],
    ['#/source/binance', { page: 'source', source: 'binance' }],
    ['#/source/ccxt%3Akraken', { page: 'source', source: 'ccxt:kraken' }],
  ])('%s round-trips', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
    expect(hrefOf(route)).toBe(hash);
  });

  it('ignores a section it does not know, and a section without a series', () => {
    expect(parseRoute('#/series/12?section=nope')).toEqual({ page: 'series', seriesId: 12 });
    expect(parseRoute('#/series?section=quality')).toEqual({ page: 'series', seriesId: null });
  });

  it('sends a source page without a valid source id to the overview', () => {
    expect(parseRoute('#/source/')).toEqual({ page: 'overview' });
    expect(parseRoute('#/source/%E0%A4%A')).toEqual({ page: 'overview' });
    expect(parseRoute('#/source/Not%20a%20source')).toEqual({ page: 'overview' });
  });
});
