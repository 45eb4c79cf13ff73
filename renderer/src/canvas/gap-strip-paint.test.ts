import { describe, expect, it } from 'vitest';
import type { GapMapBucket } from '../../../shared/contract';
import { segmentHeights } from './gap-strip-paint';

function bucket(patch: Partial<GapMapBucket>): GapMapBucket {
  return {
    from: 0,
    to: 1,
    expected: 0,
    stored: 0,
    open: 0,
    confirmedEmpty: 0,
    marketClosed: 0,
    rejected: 0,
    unknown: 0,
    state: 'stored',
    causes: [],
    ...patch,
  };
}

describe('gap strip segments', () => {
  it('fills a fully stored bucket with one segment', () => {
    expect(segmentHeights(bucket({ expected: 60, stored: 60 }), 30)).toEqual([{ state: 'stored', px: 30 }]);
  });

  it('keeps one missing candle in 10,000 visible, and the column its full height', () => {
    const segs = segmentHeights(bucket({ expected: 10_000, stored: 9_999, open: 1 }), 30);
    expect(segs[0]).toEqual({ state: 'open', px: 4 });
    expect(segs.reduce((n, s) => n + s.px, 0)).toBeCloseTo(30);
  });

  it('puts problems on top, explained gaps under them, stored at the bottom', () => {
    const segs = segmentHeights(
      bucket({ expected: 100, stored: 40, marketClosed: 30, unknown: 20, rejected: 10 }),
      100,
    );
    expect(segs.map((s) => s.state)).toEqual(['rejected', 'unknown', 'market_closed', 'stored']);
  });

  it('draws nothing where nothing is expected', () => {
    expect(segmentHeights(bucket({}), 30)).toEqual([]);
  });
});
