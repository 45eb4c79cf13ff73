/**
 * Fault injection for the simulator: the ways networks and exchanges really fail, chosen per request
 * from a named profile or from rules set at run time through the control API. Choices are a pure
 * function of (seed, request number), so a failing run can be replayed.
 */
import { hashInts, unit } from './hash.js';
import type { InvalidCandleKind } from './candle-faults.js';

export type FaultKind =
  /** 5xx answer (status from the rule, default 503). */
  | 'server_error'
  /** Every request to the venue gets 429 with Retry-After for `durationMs` (then 418 if the client keeps calling). */
  | 'rate_limit_storm'
  /** The connection is reset before any byte of the answer. */
  | 'reset'
  /** No answer at all: the client must time out. */
  | 'hang'
  /** The answer trickles out slowly. */
  | 'slow_body'
  /** A JSON body cut short (with a matching Content-Length, as a broken proxy would send it). */
  | 'truncated'
  /** Valid JSON of the wrong shape (a price that is not a decimal string). */
  | 'malformed'
  /** The host accepts no connections for `durationMs`. */
  | 'outage'
  /** Klines only (candle-faults.ts): one row breaks the rule `invalid` (or an extra bad row is appended). */
  | 'invalid_candle'
  /** Klines only: a row is sent twice, identically. */
  | 'duplicate_rows'
  /** Klines only: the rows come newest first. */
  | 'out_of_order'
  /** Klines only: at most `rows` rows per answer, whatever the limit asked (a proxy or mirror capping pages). */
  | 'short_page'
  /** Streams (per connection, per 2 s update): the connection is cut without a close frame. */
  | 'stream_drop'
  /** Streams: the socket stays open but no data flows for `durationMs` (pings still do). */
  | 'stream_stall'
  /** Streams: this update's messages are sent twice. */
  | 'stream_duplicate'
  /** Streams: this update's messages are held back and sent after the next update's. */
  | 'stream_out_of_order'
  /** Streams: a closing (`x:true`) message is never sent. */
  | 'stream_missing_final';

/** Faults that change the candles of an answer rather than the answer itself; several may apply at once. */
export const CANDLE_FAULT_KINDS: ReadonlySet<FaultKind> = new Set<FaultKind>([
  'invalid_candle',
  'duplicate_rows',
  'out_of_order',
  'short_page',
]);

/** Faults of WebSocket streams, drawn once per connection per update rather than per request. */
export const STREAM_FAULT_KINDS: ReadonlySet<FaultKind> = new Set<FaultKind>([
  'stream_drop',
  'stream_stall',
  'stream_duplicate',
  'stream_out_of_order',
  'stream_missing_final',
]);

export interface FaultRule {
  kind: FaultKind;
  /** Only requests whose path starts with this (e.g. '/binance/api/v3/klines'); all venue requests if absent. */
  route?: string;
  /** Only this host (listening port); every host if absent. */
  host?: string;
  /** Chance per matching request (default 1). */
  probability?: number;
  /** Apply to at most this many matching requests, then retire the rule. */
  count?: number;
  /** For storms and outages: how long they last, in simulator time (default 10 s). */
  durationMs?: number;
  status?: number;
  /** For invalid_candle: which validation rule the row breaks. */
  invalid?: InvalidCandleKind;
  /** For short_page: the most rows an answer carries. */
  rows?: number;
  /** For candle faults: the row with this open time (the middle row if absent); the rule applies only to answers holding it. */
  openTime?: number;
}

export const FAULT_PROFILES: Record<string, FaultRule[]> = {
  none: [],
  flaky: [
    { kind: 'server_error', probability: 0.04, status: 503 },
    { kind: 'reset', probability: 0.02 },
    { kind: 'truncated', probability: 0.02 },
    { kind: 'slow_body', probability: 0.02 },
  ],
  hostile: [
    { kind: 'server_error', probability: 0.08, status: 502 },
    { kind: 'server_error', probability: 0.04, status: 500 },
    { kind: 'reset', probability: 0.05 },
    { kind: 'hang', probability: 0.02 },
    { kind: 'truncated', probability: 0.05 },
    { kind: 'malformed', probability: 0.03 },
    { kind: 'slow_body', probability: 0.04 },
    { kind: 'rate_limit_storm', probability: 0.01, durationMs: 5_000 },
  ],
  /** Stream trouble a day of live tails meets several times over (probabilities per 2 s update). */
  streams: [
    { kind: 'stream_drop', probability: 0.0003 },
    { kind: 'stream_stall', probability: 0.0003, durationMs: 90_000 },
    { kind: 'stream_duplicate', probability: 0.003 },
    { kind: 'stream_out_of_order', probability: 0.003 },
    { kind: 'stream_missing_final', probability: 0.01 },
  ],
};

export function isProfile(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(FAULT_PROFILES, name);
}

interface ActiveRule extends FaultRule {
  id: number;
  used: number;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];
  private nextId = 1;
  private draws = 0;
  profile = 'none';

  constructor(private readonly seed: number) {}

  setProfile(name: string): void {
    if (!isProfile(name))
      throw new Error(`unknown fault profile '${name}': use ${Object.keys(FAULT_PROFILES).join(', ')}`);
    this.profile = name;
    this.rules = this.rules.filter((r) => r.id < 0);
    for (const rule of FAULT_PROFILES[name]!) this.rules.push({ ...rule, id: this.nextId++, used: 0 });
  }

  add(rule: FaultRule): number {
    const id = this.nextId++;
    this.rules.push({ ...rule, id, used: 0 });
    return id;
  }

  clear(): void {
    this.rules = [];
    this.profile = 'none';
  }

  list(): FaultRule[] {
    return this.rules.map(({ id: _id, used: _used, ...rule }) => rule);
  }

  /** The fault for a request to `path` on `host`, or null. */
  decide(path: string, host: string): FaultRule | null {
    for (const rule of this.rules) {
      if (CANDLE_FAULT_KINDS.has(rule.kind) || STREAM_FAULT_KINDS.has(rule.kind)) continue;
      if (rule.route && !path.startsWith(rule.route)) continue;
      if (rule.host && rule.host !== host) continue;
      const p = rule.probability ?? 1;
      if (p < 1 && unit(hashInts(this.seed, 0xfa17, this.draws++)) >= p) continue;
      rule.used++;
      if (rule.count !== undefined && rule.used >= rule.count) this.rules = this.rules.filter((r) => r !== rule);
      return rule;
    }
    return null;
  }

  /**
   * The stream fault for one update of a connection at `path` on `host`, or null. A missing final
   * is only drawn for an update that carries one (`hasFinal`), so its rule is not spent on nothing.
   */
  streamFault(path: string, host: string, hasFinal: boolean): FaultRule | null {
    for (const rule of this.rules) {
      if (!STREAM_FAULT_KINDS.has(rule.kind)) continue;
      if (rule.kind === 'stream_missing_final' && !hasFinal) continue;
      if (rule.route && !path.startsWith(rule.route)) continue;
      if (rule.host && rule.host !== host) continue;
      const p = rule.probability ?? 1;
      if (p < 1 && unit(hashInts(this.seed, 0x57e4, this.draws++)) >= p) continue;
      rule.used++;
      if (rule.count !== undefined && rule.used >= rule.count) this.rules = this.rules.filter((r) => r !== rule);
      return rule;
    }
    return null;
  }

  /** Every candle-fault rule for a request (not yet used up: `consume` those that found their row). */
  candleFaults(path: string, host: string): FaultRule[] {
    return this.rules.filter((rule) => {
      if (!CANDLE_FAULT_KINDS.has(rule.kind)) return false;
      if (rule.route && !path.startsWith(rule.route)) return false;
      if (rule.host && rule.host !== host) return false;
      const p = rule.probability ?? 1;
      return p >= 1 || unit(hashInts(this.seed, 0xfa17, this.draws++)) < p;
    });
  }

  /** Count candle-fault rules that were applied (as returned by candleFaults), retiring used-up ones. */
  consume(applied: readonly FaultRule[]): void {
    for (const rule of this.rules.filter((r) => applied.includes(r))) {
      rule.used++;
      if (rule.count !== undefined && rule.used >= rule.count) this.rules = this.rules.filter((r) => r !== rule);
    }
  }
}

/** A body of the right type but the wrong shape: the first price of the first row is not a decimal string. */
export function malform(json: string): string {
  const broken = json.replace(/^\[\[(\d+),"[^"]*"/, '[[$1,null');
  return broken === json ? '{"unexpected":true}' : broken;
}
