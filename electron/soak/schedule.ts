/**
 * The scripted events of a soak, a pure function of (seed, days): when each happens and for how long.
 * Times are offsets from the soak's start in ms; each event is applied by the driver when the clock
 * reaches it (steps are one simulated minute, so times are whole minutes).
 */
import { hashInts, unit } from '../simulator/hash.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../shared/timeframe.js';

export type SoakEvent =
  /** Every host refuses connections for `durationMs`. */
  | { kind: 'outage_all'; at: number; durationMs: number }
  /** One host (index into the simulator's hosts) refuses connections for `durationMs`. */
  | { kind: 'outage_host'; at: number; host: number; durationMs: number }
  /** Binance answers 429 to every request for `durationMs` (418 to a client that keeps calling). */
  | { kind: 'rate_limit_storm'; at: number; durationMs: number }
  /** Binance revises the 1m candle that closed `ageMs` before, after the engine stored it. */
  | { kind: 'revise'; at: number; ageMs: number }
  /** The engine stops and a new one starts on the same database file. */
  | { kind: 'restart'; at: number };

const minutes = (ms: number): number => Math.round(ms / MINUTE_MS) * MINUTE_MS;

export function soakSchedule(seed: number, days: number, hosts: number): SoakEvent[] {
  let draw = 0;
  const rand = (): number => unit(hashInts(seed, 0x50a4, draw++));
  const between = (lo: number, hi: number): number => minutes(lo + rand() * (hi - lo));
  const events: SoakEvent[] = [
    // A laptop waking without network: nothing answers for the first minutes.
    { kind: 'outage_all', at: 0, durationMs: between(3 * MINUTE_MS, 8 * MINUTE_MS) },
    { kind: 'rate_limit_storm', at: between(2 * HOUR_MS, 10 * HOUR_MS), durationMs: between(MINUTE_MS, 3 * MINUTE_MS) },
    { kind: 'revise', at: between(11 * HOUR_MS, 20 * HOUR_MS), ageMs: 2 * MINUTE_MS },
    { kind: 'restart', at: minutes((days * DAY_MS) / 2) },
  ];
  for (let day = 0; day < days; day++) {
    const base = day * DAY_MS;
    events.push({
      kind: 'outage_host',
      at: base + between(HOUR_MS, 23 * HOUR_MS),
      host: Math.floor(rand() * hosts),
      durationMs: between(10 * MINUTE_MS, 30 * MINUTE_MS),
    });
    events.push({
      kind: 'outage_all',
      at: base + between(HOUR_MS, 23 * HOUR_MS),
      durationMs: between(2 * MINUTE_MS, 6 * MINUTE_MS),
    });
  }
  return events.sort((a, b) => a.at - b.at);
}
