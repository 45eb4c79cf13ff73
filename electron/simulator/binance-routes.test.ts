/**
 * The simulator keeps whole answers of full pages of closed candles for repeated backfills: what it
 * keeps must never hide a change the venue made afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './simulator.js';
import { ManualClock } from '../net/clock.js';

const NOW = Date.parse('2025-03-10T10:00:00Z');
const FROM = Date.parse('2025-03-01T00:00:00Z');

describe('kline pages answered again', () => {
  let sim: Simulator;
  const clock = new ManualClock(NOW);
  const page = async (): Promise<string> => {
    const res = await fetch(`${sim.url}/binance/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${FROM}&limit=1000`);
    expect(res.status).toBe(200);
    return res.text();
  };
  beforeAll(async () => {
    sim = await startSimulator({ seed: 7, clock });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('are the same bytes, until a revision of a candle in them shows in the next answer', async () => {
    const first = await page();
    expect(await page()).toBe(first);
    const rows = JSON.parse(first) as Array<[number, string, string, string, string, string]>;
    expect(rows).toHaveLength(1000);
    const revised = rows[500]!;
    const res = await fetch(`${sim.url}/_sim/revise`, {
      method: 'POST',
      body: JSON.stringify({ symbol: 'BTCUSDT', openTime: revised[0], close: Number(revised[4]) + 1, at: NOW - 1 }),
    });
    expect(res.status).toBe(200);
    const after = JSON.parse(await page()) as typeof rows;
    expect(Number(after[500]![4])).toBeCloseTo(Number(revised[4]) + 1, 6);
    expect(after.filter((row, i) => JSON.stringify(row) !== JSON.stringify(rows[i]))).toHaveLength(1);
  });
});
