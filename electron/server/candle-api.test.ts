/**
 * `serve` as a Binance API for other tools: ccxt's binance client reads the stored candles with
 * fetchOHLCV; the klines parameters and error bodies behave like the real API's; the contract's
 * POST /api/<channel> keeps working beside it; and the dashboard's export link downloads the file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import ccxt from 'ccxt';
import { main } from '../cli/main.js';
import { captureIo } from '../test-support/cli-io.js';
import { tempDir } from '../test-support/temp-db.js';
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import { Store } from '../store/store.js';
import { BinanceSource } from '../sources/binance.js';
import { Network } from '../net/network.js';
import { systemClock } from '../net/clock.js';
import { backfill } from '../engine/backfill.js';
import type { Candle } from '../../shared/domain.js';

const FROM = Date.UTC(2024, 0, 1);
const TO = Date.UTC(2024, 0, 2);
/** The contract only takes JSON bodies (a cross-site form cannot send one). */
const JSON_BODY = { 'Content-Type': 'application/json' };

describe('the local candle API on `serve`', () => {
  let sim: Simulator;
  let dir: { dir: string; cleanup: () => void };
  let url = '';
  let stored: Candle[];
  let seriesId = 0;
  const stop = new AbortController();
  let served: Promise<number>;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 9 });
    dir = tempDir();
    const db = path.join(dir.dir, 'candles.db');
    const store = Store.open(db);
    const source = new BinanceSource({
      hosts: [`${sim.url}/binance`],
      clock: systemClock,
      network: new Network(systemClock),
    });
    for (const [symbol, timeframe] of [
      ['BTCUSDT', '1m'],
      ['ETHUSDT', '1h'],
    ] as const) {
      await backfill(
        { store, source, clock: systemClock },
        { key: { source: 'binance', symbol, timeframe }, from: FROM, to: TO },
      );
    }
    const btc = store.series.find({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' })!;
    seriesId = btc.id;
    stored = store.candles.range(btc.id, FROM, TO);
    // Paused, so the engine `serve` runs leaves them alone: this test is about reading.
    for (const s of store.series.list()) store.series.setEnabled(s.id, false);
    store.close();
    await sim.close();

    const c = captureIo({ CANDLEKEEP_BINANCE_URL: 'http://127.0.0.1:9' });
    c.io.stopSignal = stop.signal;
    served = main(['serve', '--port', '0', '--db', db], c.io);
    for (let i = 0; i < 200 && !url; i++) {
      url = /serving (http:\/\/\S+)/.exec(c.out())?.[1] ?? '';
      if (!url) await new Promise((r) => setTimeout(r, 50));
    }
    expect(url).not.toBe('');
  });
  afterAll(async () => {
    stop.abort();
    await served;
    dir.cleanup();
  });

  const get = async (pathAndQuery: string): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${url}${pathAndQuery}`);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : text };
  };

  it("serves ccxt's binance client: loadMarkets and fetchOHLCV return exactly the stored candles", async () => {
    const exchange = new ccxt.binance({
      enableRateLimit: false,
      urls: { api: { public: `${url}/api/v3` } } as never,
      options: { fetchMarkets: ['spot'] } as never,
    });
    const markets = await exchange.loadMarkets();
    expect(Object.keys(markets).sort()).toEqual(['BTC/USDT', 'ETH/USDT']);
    const rows: number[][] = [];
    for (let since = FROM; since < TO;) {
      const page = await exchange.fetchOHLCV('BTC/USDT', '1m', since, 1000);
      if (!page.length) break;
      rows.push(...(page as number[][]));
      since = page[page.length - 1]![0]! + 60_000;
    }
    expect(rows).toEqual(stored.map((c) => [c.ts, c.open, c.high, c.low, c.close, c.volume]));
  });

  it('answers klines in Binance rows with its startTime / endTime / limit rules', async () => {
    const first = (await get(`/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${FROM}&limit=2`)).body;
    expect(first).toHaveLength(2);
    expect(first[0]).toEqual([
      stored[0]!.ts,
      stored[0]!.open.toFixed(8),
      stored[0]!.high.toFixed(8),
      stored[0]!.low.toFixed(8),
      stored[0]!.close.toFixed(8),
      stored[0]!.volume!.toFixed(8),
      stored[0]!.ts + 59_999,
      '0',
      0,
      '0',
      '0',
      '0',
    ]);
    const ts = (rows: unknown[][]): number[] => rows.map((r) => r[0] as number);
    const all = stored.map((c) => c.ts);
    expect(ts((await get('/api/v3/klines?symbol=BTCUSDT&interval=1m')).body)).toEqual(all.slice(-500));
    expect(ts((await get(`/api/v3/klines?symbol=BTCUSDT&interval=1m&endTime=${all[99]}`)).body)).toEqual(
      all.slice(0, 100),
    );
    expect(
      ts((await get(`/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${all[10]}&endTime=${all[19]}`)).body),
    ).toEqual(all.slice(10, 20));
    expect(
      ts((await get(`/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${FROM * 1000}&limit=5000`)).body),
    ).toEqual(all.slice(0, 1000));
    expect((await get('/api/v3/ping')).body).toEqual({});
    expect((await get('/api/v3/time')).body.serverTime).toBeGreaterThan(0);
  });

  it("refuses bad requests with the real API's status and error bodies", async () => {
    const cases: Array<[string, number, { code: number; msg: string }]> = [
      [
        'interval=1m',
        400,
        { code: -1102, msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed." },
      ],
      [
        'symbol=btcusdt&interval=1m',
        400,
        { code: -1100, msg: "Illegal characters found in parameter 'symbol'; legal range is '^[A-Z0-9-_.]{1,20}$'." },
      ],
      [
        'symbol=BTCUSDT',
        400,
        { code: -1102, msg: "Mandatory parameter 'interval' was not sent, was empty/null, or malformed." },
      ],
      ['symbol=BTCUSDT&interval=1mo', 400, { code: -1120, msg: 'Invalid interval.' }],
      ['symbol=BTCUSDT&interval=5m', 400, { code: -1120, msg: 'Invalid interval.' }],
      ['symbol=NOPEUSDT&interval=1m', 400, { code: -1121, msg: 'Invalid symbol.' }],
      [
        'symbol=BTCUSDT&interval=1m&limit=ten',
        400,
        { code: -1100, msg: "Illegal characters found in parameter 'limit'; legal range is '^[0-9]{1,20}$'." },
      ],
      [
        'symbol=BTCUSDT&interval=1m&limit=0',
        400,
        { code: -1130, msg: "Data sent for parameter 'limit' is not valid." },
      ],
    ];
    for (const [query, status, body] of cases) expect(await get(`/api/v3/klines?${query}`)).toEqual({ status, body });
    const post = await fetch(`${url}/api/v3/klines?symbol=BTCUSDT&interval=1m`, { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('leaves the contract on POST /api/<channel> working beside it', async () => {
    const res = await fetch(`${url}/api/series:list`, { method: 'POST', headers: JSON_BODY, body: '' });
    const { result } = (await res.json()) as { result: Array<{ symbol: string }> };
    expect(result.map((s) => s.symbol).sort()).toEqual(['BTCUSDT', 'ETHUSDT']);
  });

  it('gives the dashboard an export link that downloads the series as a file', async () => {
    const res = await fetch(`${url}/api/candles:export`, {
      method: 'POST',
      headers: JSON_BODY,
      body: JSON.stringify({ seriesId, from: FROM, to: TO, format: 'csv' }),
    });
    const { result: link } = (await res.json()) as { result: { url: string; filename: string; candles: number } };
    expect(link).toEqual({
      url: `/export?seriesId=${seriesId}&from=${FROM}&to=${TO}&format=csv`,
      filename: 'binance-BTCUSDT-1m-20240101-20240102.csv',
      format: 'csv',
      candles: stored.length,
    });
    const download = await fetch(`${url}${link.url}`);
    expect(download.headers.get('content-disposition')).toBe(
      'attachment; filename="binance-BTCUSDT-1m-20240101-20240102.csv"',
    );
    const lines = (await download.text()).trim().split('\n');
    expect(lines).toHaveLength(stored.length + 1);
    expect(lines[1]).toBe(
      `${stored[0]!.ts},${stored[0]!.open},${stored[0]!.high},${stored[0]!.low},${stored[0]!.close},${stored[0]!.volume}`,
    );
    expect(await get(`/export?seriesId=${seriesId}&from=${TO}&to=${FROM}&format=csv`)).toEqual({
      status: 400,
      body: { error: { name: 'ApiError', message: 'bad export request: query: `from` must be before `to`' } },
    });
    expect((await get(`/export?seriesId=999&from=${FROM}&to=${TO}&format=csv`)).status).toBe(404);
    const bad = await fetch(`${url}/api/candles:export`, {
      method: 'POST',
      headers: JSON_BODY,
      body: JSON.stringify({ seriesId, from: FROM, to: TO, format: 'xlsx' }),
    });
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /^invalid arguments for candles:export: format: /,
    );
  });
});
