import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startSimulator, type Simulator } from './simulator.js';
import { ManualClock } from '../net/clock.js';
import { klineRow } from './binance-routes.js';

const START = Date.parse('2025-03-10T10:00:30Z');
const MINUTE = 60_000;

interface Kline {
  e: string;
  E: number;
  s: string;
  k: {
    t: number;
    T: number;
    s: string;
    i: string;
    o: string;
    c: string;
    h: string;
    l: string;
    v: string;
    n: number;
    x: boolean;
    q: string;
    V: string;
    Q: string;
    B: string;
  };
}

describe('the simulated Binance kline streams', () => {
  let sim: Simulator;
  let clock: ManualClock;
  const open: WebSocket[] = [];

  beforeEach(async () => {
    clock = new ManualClock(START);
    sim = await startSimulator({ seed: 3, clock, symbols: 3 });
  });
  afterEach(async () => {
    for (const ws of open) ws.terminate();
    await sim.close();
  });

  const connect = async (
    path: string,
    options: { autoPong?: boolean } = {},
  ): Promise<{ ws: WebSocket; messages: unknown[]; closed: Promise<number> }> => {
    const ws = new WebSocket(`${sim.url.replace('http', 'ws')}/binance${path}`, { autoPong: options.autoPong ?? true });
    open.push(ws);
    const messages: unknown[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data))));
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return { ws, messages, closed };
  };
  /** Let the client's messages reach the simulator before its clock moves. */
  const arrived = (): Promise<void> => new Promise((r) => setTimeout(r, 20));
  /** Advance simulated time in 2 s updates, letting each update's messages arrive. */
  const advance = async (ms: number): Promise<void> => {
    for (let t = 0; t < ms; t += 2_000) {
      await clock.advance(2_000);
      await sim.streams.flushed();
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  it('sends the forming candle every 2 s and one closing x:true message with the values the REST API serves', async () => {
    const { messages } = await connect('/ws/btcusdt@kline_1m');
    await advance(MINUTE + 4_000);
    const klines = messages as Kline[];
    expect(klines.every((m) => m.e === 'kline' && m.s === 'BTCUSDT' && m.k.i === '1m')).toBe(true);
    const finals = klines.filter((m) => m.k.x);
    const closeOpen = Date.parse('2025-03-10T10:01:00Z');
    expect(finals.map((m) => m.k.t)).toEqual([START - 30_000]);
    expect(klines.filter((m) => !m.k.x && m.k.t === closeOpen).map((m) => m.E - closeOpen)).toEqual(
      Array.from({ length: 18 }, (_, i) => i * 2_000),
    );
    // The closed candle is exactly the REST row of the same candle.
    const truth = sim.truth('binance', 'BTCUSDT').candleAt('1m', START - 30_000, closeOpen + MINUTE)!;
    const row = JSON.parse(klineRow(truth, '1m', 2)) as unknown[];
    const k = finals[0]!.k;
    expect([k.t, k.o, k.h, k.l, k.c, k.v, k.T, k.q, k.n, k.V, k.Q]).toEqual(row.slice(0, 11));
  });

  it('wraps combined streams, answers SUBSCRIBE and UNSUBSCRIBE, and logs them', async () => {
    const { ws, messages } = await connect('/stream?streams=ethusdt@kline_1m');
    ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['syn0002usdt@kline_1m'], id: 7 }));
    await arrived();
    await advance(2_000);
    expect(messages).toContainEqual({ result: null, id: 7 });
    const streams = new Set((messages as Array<{ stream?: string }>).map((m) => m.stream).filter(Boolean));
    expect(streams).toEqual(new Set(['ethusdt@kline_1m', 'syn0002usdt@kline_1m']));
    ws.send(JSON.stringify({ method: 'UNSUBSCRIBE', params: ['ethusdt@kline_1m'], id: 8 }));
    ws.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 9 }));
    await arrived();
    await advance(2_000);
    expect(messages).toContainEqual({ result: ['syn0002usdt@kline_1m'], id: 9 });
    const logged = sim.log.since().filter((e) => e.path === '/binance/stream');
    expect(logged.map((e) => e.method)).toEqual(['GET', 'SUBSCRIBE', 'UNSUBSCRIBE', 'LIST_SUBSCRIPTIONS']);
    expect(logged[1]!.query.params).toBe('syn0002usdt@kline_1m');
  });

  it('closes a connection that never answers pings, and every connection at the 24-hour mark', async () => {
    const silent = await connect('/ws/btcusdt@kline_1m', { autoPong: false });
    const polite = await connect('/ws/ethusdt@kline_1m');
    await advance(90_000);
    expect(sim.streams.stats.closedForPong).toBe(1);
    await silent.closed;
    expect(polite.ws.readyState).toBe(WebSocket.OPEN);
    await clock.advance(24 * 3_600_000);
    await advance(2_000);
    expect(await polite.closed).toBe(1000);
  });

  it('closes a connection that sends more than 5 messages a second', async () => {
    const { ws, closed } = await connect('/ws');
    for (let id = 1; id <= 6; id++) ws.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id }));
    expect(await closed).toBe(1008);
  });

  it('drops a closing message when told to, and stalls without closing the socket', async () => {
    sim.faults.add({ kind: 'stream_missing_final', count: 1 });
    const { ws, messages } = await connect('/ws/btcusdt@kline_1m');
    await advance(MINUTE + 4_000);
    expect((messages as Kline[]).some((m) => m.k.x)).toBe(false);
    sim.faults.add({ kind: 'stream_stall', count: 1, durationMs: 30_000 });
    const before = messages.length;
    await advance(20_000);
    expect(messages.length).toBe(before);
    expect(ws.readyState).toBe(WebSocket.OPEN);
  });
});
