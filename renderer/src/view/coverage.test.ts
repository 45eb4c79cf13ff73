import { describe, expect, it } from 'vitest';
import type { GapMapBucket } from '../../../shared/contract';
import { bucketIndexAt, coverageTotals, storedShare } from './coverage';

const b = (from: number, patch: Partial<GapMapBucket> = {}): GapMapBucket => ({
  from,
  to: from + 10,
  expected: 10,
  stored: 10,
  open: 0,
  confirmedEmpty: 0,
  marketClosed: 0,
  rejected: 0,
  unknown: 0,
  state: 'stored',
  causes: [],
  ...patch,
});

describe('coverage', () => {
  const buckets = [
    b(0),
    b(10, { stored: 6, open: 4 }),
    b(20, { stored: 0, marketClosed: 10 }),
    b(30, { stored: 0, unknown: 10 }),
  ];

  it('finds the bucket under a time', () => {
    expect(bucketIndexAt(buckets, 0)).toBe(0);
    expect(bucketIndexAt(buckets, 19)).toBe(1);
    expect(bucketIndexAt(buckets, 35)).toBe(3);
    expect(bucketIndexAt(buckets, 40)).toBe(-1);
  });

  it('totals a range of buckets', () => {
    expect(coverageTotals(buckets, 10, 30)).toMatchObject({ expected: 20, stored: 6, open: 4, marketClosed: 10 });
  });

  it('does not count explained gaps against the stored share', () => {
    expect(storedShare(coverageTotals(buckets.slice(0, 3)))).toBeCloseTo(16 / 20);
  });
});
