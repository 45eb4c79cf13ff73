import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatPercent } from './format';

describe('format', () => {
  it.each([
    [0, '0 s'],
    [59_000, '59 s'],
    [12 * 60_000, '12 min'],
    [3 * 3_600_000 + 5 * 60_000, '3 h 5 min'],
    [50 * 3_600_000, '2 d 2 h'],
  ])('duration %d ms reads %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it('never rounds an incomplete share up to 100%', () => {
    expect(formatPercent(0.99996)).toBe('99.9%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(null)).toBe('—');
  });

  it('sizes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3 MB');
  });
});
