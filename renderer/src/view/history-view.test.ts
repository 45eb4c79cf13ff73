import { describe, expect, it } from 'vitest';
import { SLO_TARGETS } from '../../../shared/history';
import { sloTone, successTone } from './history-view';

describe('history colours', () => {
  it.each([
    [null, 'empty'],
    [1, 'ok'],
    [0.99, 'ok'],
    [0.989, 'warn'],
    [0.9, 'warn'],
    [0.899, 'bad'],
    [0, 'bad'],
  ] as const)('a bucket with success %s is %s', (rate, tone) => {
    expect(successTone(rate)).toBe(tone);
  });

  it('colours each SLO against its own target, and no data as no colour', () => {
    const [api, completeness, , response] = SLO_TARGETS;
    expect([
      sloTone(api!, 0.99),
      sloTone(api!, 0.9899),
      sloTone(completeness!, 0.9999),
      sloTone(completeness!, 1),
    ]).toEqual(['ok', 'bad', 'bad', 'ok']);
    expect([sloTone(response!, 1_999), sloTone(response!, 2_000), sloTone(response!, null)]).toEqual([
      'ok',
      'bad',
      'empty',
    ]);
  });
});
