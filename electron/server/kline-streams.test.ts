/**
 * `serve` re-publishes live klines in Binance's stream format, end to end: the engine streams from
 * the simulator, and a plain WebSocket client and ccxt.pro's binance (pointed at serve) read the
 * forming candle and each closed candle as stored, next to the local REST klines.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import WebSocket from 'ws';
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import { createRuntime, type Runtime } from '../runtime.js';
import { serveRuntime } from './serve-runtime.js';
import type { RunningServer } from './http-server.js';
import { FileSecretStore } from '../secrets/file-secret-store.js';
import { tempDir } from '../test-support/temp-db.js';
import { ScaledClock } from '../net/clock.js';
import { ccxtModule } from '../sources/ccxt.js';

const MINUTE = 60_000;
/** A minute of simulated time in 1.5 s: a few closes within a short test. */
const SCALE = 40;

interface KlineEvent {
  e: string;
  s: string;
  k: { t: number; o: string; h: string; l: string; c: string; v: string; x: boolean; i: string };
}

let sim: Simulator;
let runtime: Runtime;
let server: RunningServer;
let dir: ReturnType<typeof tempDir>;
let clock: ScaledClock;
const sockets: WebSocket[] = [];

async function until(check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

function listen(
  url: string,
  headers: Record<string, string> = {},
): { messages: unknown[]; opened: Promise<void>; ws: WebSocket } {
  const ws = new WebSocket(url, { headers });
  sockets.push(ws);
  const messages: unknown[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data))));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  return { messages, opened, ws };
}

beforeEach(async () => {
  dir = tempDir();
  const start = Math.floor(Date.now() / MINUTE) * MINUTE - 2 * 3_600_000 + 50_000;
  clock = new ScaledClock(start, SCALE);
  sim = await startSimulator({ seed: 3, clock });
  runtime = createRuntime({
    dbPath: path.join(dir.dir, 'streams.db'),
    shell: 'node',
    clock,
    env: { CANDLEKEEP_BINANCE_URL: `${sim.url}/binance` },
    secrets: new FileSecretStore(path.join(dir.dir, 'secrets.json')),
  });
  runtime.store.series.ensure({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, start - 30 * MINUTE, start);
});

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await server?.close();
  await runtime.close();
  await sim.close();
  dir.cleanup();
});

describe('serve re-publishes kline streams', () => {
  it('sends a plain WebSocket client the forming candle (x:false) and each stored close (x:true)', async () => {
    server = await serveRuntime(runtime, { staticDir: dir.dir, port: 0 });
    await runtime.start();
    const raw = listen(`${server.url.replace('http', 'ws')}/ws/btcusdt@kline_1m`);
    const combined = listen(`${server.url.replace('http', 'ws')}/stream?streams=btcusdt@kline_1m`);
    await Promise.all([raw.opened, combined.opened]);
    const klines = (): KlineEvent[] => raw.messages as KlineEvent[];
    await until(() => klines().some((m) => m.k.x) && klines().some((m) => !m.k.x));
    const closed = klines().find((m) => m.k.x)!;
    expect(closed).toMatchObject({ e: 'kline', s: 'BTCUSDT', k: { i: '1m' } });
    // The closed candle is the one stored, which is the truth.
    const series = runtime.store.series.find({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' })!;
    const stored = runtime.store.candles.range(series.id, closed.k.t, closed.k.t + 1)[0]!;
    expect([
      Number(closed.k.o),
      Number(closed.k.h),
      Number(closed.k.l),
      Number(closed.k.c),
      Number(closed.k.v),
    ]).toEqual([stored.open, stored.high, stored.low, stored.close, stored.volume]);
    const truth = sim.truth('binance', 'BTCUSDT').candleAt('1m', closed.k.t, clock.now())!;
    expect(stored.close).toBe(truth.close / 100);
    // The forming candle was never stored.
    const forming = klines()
      .filter((m) => !m.k.x)
      .at(-1)!;
    expect(
      runtime.store.candles.range(series.id, forming.k.t, forming.k.t + 1).filter((c) => c.ts > closed.k.t),
    ).toEqual([]);
    await until(() => combined.messages.length > 0);
    expect(combined.messages[0]).toMatchObject({ stream: 'btcusdt@kline_1m', data: { e: 'kline' } });
  });

  it('serves ccxt.pro binance pointed at it: REST klines and watchOHLCV', async () => {
    server = await serveRuntime(runtime, { staticDir: dir.dir, port: 0 });
    await runtime.start();
    const series = runtime.store.series.find({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' })!;
    await until(() => runtime.store.candles.lastBefore(series.id, clock.now()) !== null);
    const ccxt = ccxtModule() as unknown as {
      pro: Record<
        string,
        new (config: object) => {
          fetchOHLCV: (s: string, tf: string, since?: number, limit?: number) => Promise<number[][]>;
          watchOHLCV: (s: string, tf: string) => Promise<number[][]>;
          loadHttpProxyAgent: () => Promise<unknown>;
          close: () => Promise<void>;
        }
      >;
    };
    const exchange = new ccxt.pro.binance!({
      urls: { api: { public: `${server.url}/api/v3`, ws: { spot: `${server.url.replace('http', 'ws')}/ws` } } },
      options: { fetchMarkets: ['spot'] },
    });
    try {
      // ccxt asks for this once before it opens a plain ws:// (not wss://) socket, as serve's is on loopback.
      await exchange.loadHttpProxyAgent();
      const rest = await exchange.fetchOHLCV('BTC/USDT', '1m', undefined, 5);
      expect(rest.length).toBe(5);
      const closes: number[][] = [];
      await until(async () => {
        const candles = await exchange.watchOHLCV('BTC/USDT', '1m');
        closes.push(...candles);
        // A candle newer than REST's last has arrived and then been closed and stored.
        const stored = runtime.store.candles.range(series.id, rest.at(-1)![0]! + 1, clock.now());
        return stored.some((c) => closes.some((k) => k[0] === c.ts && k[4] === c.close));
      });
    } finally {
      await exchange.close();
    }
  });

  it('takes a read token when tokens are required, and refuses a cross-site page and a caller without one', async () => {
    const read = runtime.store.tokens.issue('bot', 'read', Date.now());
    server = await serveRuntime(runtime, { staticDir: dir.dir, port: 0, requireToken: true });
    const url = `${server.url.replace('http', 'ws')}/ws/btcusdt@kline_1m`;
    await expect(listen(url).opened).rejects.toThrow('HTTP 401');
    await expect(
      listen(url, { Authorization: `Bearer ${read}`, Origin: 'https://evil.example' }).opened,
    ).rejects.toThrow('HTTP 403');
    await listen(url, { Authorization: `Bearer ${read}` }).opened;
  });
});
