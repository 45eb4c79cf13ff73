/** Host pools against the simulator's outages: a pool must come back when its hosts do. */
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import { ManualClock } from './clock.js';
import { Network } from './network.js';
import { YahooSource } from '../sources/yahoo.js';

const NOW = Date.parse('2024-05-08T12:00:00Z');
const window = { symbol: 'BTC-USD', timeframe: '5m' as const, from: NOW - 3_600_000, to: NOW };

describe('a pool with no probe function (the request is the probe)', () => {
  let sim: Simulator;
  afterEach(async () => sim.close());

  it('sends again once the wait is over after every host was down, and the simulator counts the refusals', async () => {
    const clock = new ManualClock(NOW);
    sim = await startSimulator({ seed: 3, clock, hosts: 2 });
    const ports = sim.urls.map((u) => new URL(u).port);
    const source = new YahooSource({
      hosts: sim.urls.map((u) => `${u}/yahoo`),
      clock,
      network: new Network(clock),
      timeoutMs: 2_000,
    });
    for (const port of ports) sim.outage(port, 5 * 60_000);

    await expect(source.fetchWindow(window)).rejects.toThrow(/unreachable/);
    await expect(source.fetchWindow(window)).rejects.toThrow(/unreachable/);
    await expect(source.fetchWindow(window)).rejects.toThrow(/no yahoo host is reachable/);
    expect(sim.refused).toBe(2);
    expect(sim.log.since()).toEqual([]);

    for (const port of ports) sim.outage(port, 0);
    await clock.advance(2_000);
    const result = await source.fetchWindow(window);
    expect(result.candles).toHaveLength(12);
    expect(sim.log.since().map((e) => e.status)).toEqual([200]);
  });
});
