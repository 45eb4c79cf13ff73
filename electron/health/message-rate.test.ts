import { describe, expect, it } from 'vitest';
import { MessageRate, MIN_SPAN_MS } from './message-rate.js';

const T = Date.parse('2024-06-01T12:00:00Z');

describe("a stream's message rate", () => {
  it('is unknown until two looks at least the minimum span apart', () => {
    const rate = new MessageRate();
    expect(rate.look('binance', T, 10)).toBeNull();
    expect(rate.look('binance', T + MIN_SPAN_MS - 1, 20)).toBeNull();
    expect(rate.look('binance', T + MIN_SPAN_MS, 20)).toBe(10 / (MIN_SPAN_MS / 1000));
  });

  it('is the same for two looks at one instant, whoever looked in between', () => {
    const rate = new MessageRate();
    rate.look('binance', T, 0);
    rate.look('binance', T + 4_000, 40); // another caller, between
    const first = rate.look('binance', T + 10_000, 100);
    expect(first).toBe(10);
    expect(rate.look('binance', T + 10_000, 100)).toBe(first);
    expect(rate.look('binance', T + 12_000, 100)).toBe(100 / 12);
  });

  it('starts again when the count does (the stream was rebuilt), and keeps sources apart', () => {
    const rate = new MessageRate();
    rate.look('binance', T, 500);
    rate.look('ccxt:binance', T, 0);
    expect(rate.look('binance', T + 10_000, 3)).toBeNull();
    expect(rate.look('ccxt:binance', T + 10_000, 50)).toBe(5);
  });
});
