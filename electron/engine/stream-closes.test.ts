/**
 * Closing messages as `LiveStreams` stores them, on a real SQLite file: a close that arrives while the
 * candle before it is missing waits aside, and is stored as soon as that candle is (the REST tail's
 * job), not a minute later.
 */
import { describe, expect, it } from 'vitest';
import { tempStorePerTest } from '../test-support/temp-store.js';
import { BinanceSource } from '../sources/binance.js';
import { ManualClock } from '../net/clock.js';
import { Network } from '../net/network.js';
import { DEFAULT_EVIDENCE } from './evidence.js';
import { LiveStreams } from './live-streams.js';
import type { KlineStreamHandlers, StreamKline } from '../sources/kline-stream.js';
import type { Candle } from '../../shared/domain.js';

const T = Date.parse('2024-06-01T12:00:00Z');
const MINUTE = 60_000;

const candle = (ts: number): Candle => ({ ts, open: 100, high: 102, low: 99, close: 101, volume: 5 });
const close = (ts: number): StreamKline => ({
  symbol: 'BTCUSDT',
  timeframe: '1m',
  closed: true,
  candle: candle(ts),
  raw: { k: { t: ts } },
});
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('closes from a stream', () => {
  const store = tempStorePerTest();

  const setup = () => {
    const clock = new ManualClock(T + 2 * MINUTE + 1_000);
    const source = new BinanceSource({ hosts: ['http://127.0.0.1:9'], clock, network: new Network(clock) });
    const series = store().series.ensure({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, T - 10 * MINUTE, T);
    store().candles.upsert(
      series.id,
      Array.from({ length: 10 }, (_, i) => candle(T - (10 - i) * MINUTE)),
    );
    let handlers: KlineStreamHandlers | null = null;
    const stored: number[] = [];
    const live = new LiveStreams({
      store: store(),
      clock,
      streamFor: (_id, h) => {
        handlers = h;
        return {
          set: () => undefined,
          stats: () => ({ state: 'live', connections: 1, streams: 1, messages: 0, reconnects: 0, lastMessageAt: null }),
          close: () => undefined,
        };
      },
      source: () => source,
      evidence: DEFAULT_EVIDENCE,
      catchUp: () => undefined,
      onStored: (_s, ts, count) => {
        if (count > 0) stored.push(ts);
      },
    });
    live.sync([series]);
    return { series, live, stored, send: (k: StreamKline) => handlers!.onKline(k) };
  };

  it('stores a close kept aside as soon as the candle before it is stored', async () => {
    const { series, live, stored, send } = setup();
    // The close of T never came; the one after it waits aside.
    send(close(T + MINUTE));
    await turn();
    expect(store().candles.range(series.id, T, T + 2 * MINUTE)).toEqual([]);
    // The REST tail stores T: the close kept aside follows it at once.
    store().candles.upsert(series.id, [candle(T)]);
    live.release(series);
    expect(store().candles.range(series.id, T, T + 2 * MINUTE)).toEqual([candle(T), candle(T + MINUTE)]);
    expect(stored).toEqual([T + MINUTE]);
    expect(store().holes.list(series.id)).toEqual([]);
  });

  it('stores the closes read in one turn together, each after the one before it', async () => {
    const { series, stored, send } = setup();
    // Out of order within one read: the later one waits for the earlier, then both are stored.
    send(close(T + MINUTE));
    send(close(T));
    await turn();
    expect(store().candles.range(series.id, T, T + 2 * MINUTE)).toEqual([candle(T), candle(T + MINUTE)]);
    expect(stored).toEqual([T, T + MINUTE]);
  });
});
