/**
 * One contract, two transports: every channel answers the same over the headless server's
 * WebSocket (what a browser dashboard uses) and over Electron IPC through the preload bridge (what
 * the desktop dashboard uses), for good calls and bad ones, and pushed events arrive on both.
 * IPC runs on the stand-in ipcMain (no Electron binary here) with Electron's structured clone on
 * every message, so a value that survives one serialisation and not the other shows up as a
 * difference.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import WebSocket from 'ws';
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import { createRuntime, type Runtime } from '../runtime.js';
import { systemClock, type Clock } from '../net/clock.js';
import { serveRuntime } from './serve-runtime.js';
import type { RunningServer } from './http-server.js';
import { FileSecretStore } from '../secrets/file-secret-store.js';
import { tempDir } from '../test-support/temp-db.js';
import { ipcStub } from '../test-support/electron-stub-ipc.js';
import { StubWebContents } from '../test-support/electron-stub-web.js';
import { bindIpc } from '../shell/ipc.js';
import { createPreloadBridge } from '../shell/preload-bridge.js';
import type { DesktopHandlers } from '../shell/desktop-dispatch.js';
import { channelArgs } from '../../shared/schemas.js';
import { CHANNEL_ACCESS, type Channel, type Envelope } from '../../shared/contract.js';
import type { DesktopCandlekeepBridge } from '../../shared/desktop-contract.js';

const HOUR = 3_600_000;
const SECRET = 'cg-parity-key-51be0d';

let sim: Simulator;
let runtime: Runtime;
let server: RunningServer;
let dir: ReturnType<typeof tempDir>;
let socket: WebSocket;
let bridge: DesktopCandlekeepBridge;
const wsEvents: unknown[] = [];

/** The wall clock, held still while a pair of calls runs: answers with ages in them must not differ by a millisecond. */
let heldAt: number | null = null;
const clock: Clock = { now: () => heldAt ?? Date.now(), sleep: (ms, signal) => systemClock.sleep(ms, signal) };
async function atOneInstant<T>(run: () => Promise<T>): Promise<T> {
  heldAt = Date.now();
  try {
    return await run();
  } finally {
    heldAt = null;
  }
}

/** A call over the WebSocket, as the browser dashboard's WebSocketBridge makes it: the raw envelope. */
let nextId = 1;
function overWs(channel: string, args?: unknown): Promise<Envelope<unknown>> {
  const id = nextId++;
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const msg = JSON.parse(String(data)) as { id?: number } & Envelope<unknown>;
      if (msg.id !== id) return;
      socket.off('message', onMessage);
      const { id: _id, ...envelope } = msg;
      resolve(envelope as Envelope<unknown>);
    };
    socket.on('message', onMessage);
    socket.send(JSON.stringify({ id, channel, args }));
  });
}

/** The same call through window.candlekeep in the desktop app, turned back into an envelope. */
async function overIpc(channel: string, args?: unknown): Promise<Envelope<unknown>> {
  try {
    return { result: await bridge.invoke(channel as Channel, args as never) };
  } catch (err) {
    return { error: { name: (err as Error).name, message: (err as Error).message } };
  }
}

/** Job ids count up per job made, so two jobs made the same way differ only there. */
const withoutJobIds = (e: Envelope<unknown>): unknown =>
  JSON.parse(JSON.stringify(e).replace(/"(manual|backfill|tail|repair|revision)-\d+-\d+"/g, '"<job>"'));

beforeAll(async () => {
  dir = tempDir();
  sim = await startSimulator({ seed: 11 });
  runtime = createRuntime({
    dbPath: path.join(dir.dir, 'parity.db'),
    shell: 'node',
    clock,
    env: { CANDLEKEEP_BINANCE_URL: `${sim.url}/binance`, CANDLEKEEP_COINGECKO_URL: `${sim.url}/coingecko/api/v3` },
    secrets: new FileSecretStore(path.join(dir.dir, 'secrets.json')),
  });
  server = await serveRuntime(runtime, { staticDir: dir.dir, port: 0 });

  const ipc = ipcStub();
  const contents = new StubWebContents();
  bindIpc({
    ipcMain: ipc.ipcMain,
    api: runtime.handlers,
    audit: runtime.audit,
    // Desktop-only channels are not part of the shared contract (tested with the shell).
    desktop: {} as DesktopHandlers,
    events: runtime.events,
    isTrustedSender: (event) => event.sender.id === contents.id,
    targets: () => [contents],
    contextFor: () => ({ window: null }),
  });
  // Electron copies every IPC message with the structured clone algorithm; JSON does the WebSocket's.
  const renderer = ipc.ipcRendererFor(contents);
  bridge = createPreloadBridge({
    invoke: async (channel, ...args) =>
      structuredClone(await renderer.invoke(channel, ...args.map((a) => structuredClone(a)))),
    on: (channel, listener) =>
      renderer.on(channel, (event, ...args) => listener(event, ...args.map((a) => structuredClone(a)))),
    removeListener: renderer.removeListener,
  });

  socket = new WebSocket(`${server.url.replace('http', 'ws')}/ws`);
  socket.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { event?: string };
    if (msg.event) wsEvents.push(msg);
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));

  // Some history to answer about, then a paused engine so both transports see the same state.
  await runtime.start();
  await overWs('series:add', {
    source: 'binance',
    symbol: 'BTCUSDT',
    timeframe: '1h',
    from: Date.now() - 3 * 24 * HOUR,
  });
  for (let i = 0; i < 300; i++) {
    const list = (await overWs('series:list')) as { result: Array<{ candleCount: number; openHoles: number }> };
    if (
      list.result[0]!.candleCount >= 70 &&
      runtime.engine.jobList().every((j) => j.state !== 'running' && j.state !== 'queued')
    )
      break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const stored = (await overWs('series:list')) as { result: Array<{ candleCount: number }> };
  expect(stored.result[0]!.candleCount).toBeGreaterThanOrEqual(70);
  await overWs('engine:pause');
});

afterAll(async () => {
  socket?.close();
  await server?.close();
  await runtime?.close();
  await sim?.close();
  dir?.cleanup();
});

/**
 * Both transports, the same call, the same state: the same envelope. The disk's free space is the
 * one part that other processes change between the two calls: both must report it, as a number.
 */
async function same(channel: Channel, args?: unknown): Promise<Envelope<unknown>> {
  const [ws, ipc] = await atOneInstant(async () => [await overWs(channel, args), await overIpc(channel, args)]);
  const freeSpaceAside = (e: Envelope<unknown>): unknown => {
    if (channel !== 'data:info' || !('result' in e)) return e;
    expect(typeof (e.result as { freeBytes: unknown }).freeBytes).toBe('number');
    return { ...e, result: { ...(e.result as object), freeBytes: 'a number' } };
  };
  expect(freeSpaceAside(ipc), channel).toStrictEqual(freeSpaceAside(ws));
  return ws;
}

/** A call that changes state: made once per transport on twin targets, the answers must match. */
async function twin(
  channel: Channel,
  wsArgs: unknown,
  ipcArgs: unknown,
  part = (e: Envelope<unknown>, _args: unknown): unknown => e,
): Promise<Envelope<unknown>> {
  const [ws, ipc] = await atOneInstant(async () => [await overWs(channel, wsArgs), await overIpc(channel, ipcArgs)]);
  expect(withoutJobIds(part(ipc, ipcArgs) as Envelope<unknown>), channel).toStrictEqual(
    withoutJobIds(part(ws, wsArgs) as Envelope<unknown>),
  );
  return ws;
}

const resultOf = <T>(e: Envelope<unknown>): T => {
  if ('error' in e) throw new Error(`${e.error.name}: ${e.error.message}`);
  return e.result as T;
};

describe('WebSocket and IPC parity', () => {
  it('every channel answers the same on both transports', async () => {
    const btc = resultOf<Array<{ id: number }>>(await overWs('series:list'))[0]!.id;
    const now = Date.now();
    const range = { seriesId: btc, from: now - 3 * 24 * HOUR, to: now, maxBuckets: 50 };
    const backfillRange = {
      source: 'binance',
      symbol: 'BTCUSDT',
      timeframe: '1h',
      from: now - 10 * 24 * HOUR,
      to: now - 5 * 24 * HOUR,
    };
    const covered = new Set<string>();
    const check = async (channel: Channel, run: () => Promise<unknown>): Promise<void> => {
      covered.add(channel);
      await run();
    };

    // Reads.
    for (const channel of [
      'app:info',
      'engine:status',
      'sources:list',
      'sources:health',
      'fleet:status',
      'series:list',
      'jobs:list',
      'alerts:active',
      'settings:get',
      'keys:status',
      'data:info',
    ] as const) {
      await check(channel, () => same(channel));
    }
    await check('symbols:search', () => same('symbols:search', { source: 'binance', search: 'ETH', limit: 5 }));
    await check('candles:buckets', () => same('candles:buckets', range));
    await check('gaps:map', () => same('gaps:map', range));
    await check('holes:list', () => same('holes:list', { seriesId: btc }));
    await check('events:list', () => same('events:list', { limit: 50 }));
    await check('quality:report', () => same('quality:report', { seriesIds: [btc] }));
    await check('backfill:plan', () => same('backfill:plan', backfillRange));
    await check('candles:export', () =>
      same('candles:export', { seriesId: btc, from: range.from, to: range.to, format: 'csv' }),
    );
    await check('history:overview', () => same('history:overview'));
    await check('history:source', () => same('history:source', { source: 'binance', range: '24h' }));
    await check('history:series', () => same('history:series', { seriesId: btc, range: '7d' }));

    // Writes, each done once per transport; pairs put the state back for the next one.
    await check('engine:resume', () => twin('engine:resume', undefined, undefined));
    await check('engine:pause', () => twin('engine:pause', undefined, undefined));
    await check('series:pause', () => twin('series:pause', { seriesId: btc }, { seriesId: btc }));
    await check('series:resume', () => twin('series:resume', { seriesId: btc }, { seriesId: btc }));
    const added = resultOf<{ id: number }>(
      await twin(
        'series:add',
        { source: 'binance', symbol: 'ethusdt', timeframe: '4h', from: now - 2 * 24 * HOUR },
        { source: 'binance', symbol: 'ETHUSDT', timeframe: '4h', from: now - 2 * 24 * HOUR },
      ),
    );
    const second = resultOf<{ id: number }>(
      await overWs('series:add', { source: 'binance', symbol: 'SOLUSDT', timeframe: '4h', from: now - 2 * 24 * HOUR }),
    );
    await check('series:add', async () => undefined);
    await check('series:remove', () => twin('series:remove', { seriesId: added.id }, { seriesId: second.id }));

    const wsJob = resultOf<{ id: string }>(await overWs('backfill:start', backfillRange));
    const ipcJob = resultOf<{ id: string }>(await overIpc('backfill:start', backfillRange));
    await check('backfill:start', async () =>
      expect(withoutJobIds({ result: ipcJob })).toStrictEqual(withoutJobIds({ result: wsJob })),
    );
    for (const channel of ['jobs:pause', 'jobs:resume', 'jobs:cancel', 'jobs:retry'] as const) {
      // Each answers with every job: compare the row of the job each transport acted on.
      const row = (e: Envelope<unknown>, args: unknown): unknown => ({
        result: resultOf<Array<{ id: string }>>(e).find((j) => j.id === (args as { jobId: string }).jobId),
      });
      await check(channel, () =>
        twin(channel, { jobId: wsJob.id }, { jobId: ipcJob.id }, channel === 'jobs:retry' ? undefined : row),
      );
    }

    await check('settings:update', () =>
      twin(
        'settings:update',
        { patch: { seriesDefaults: { keepDays: 90 } } },
        { patch: { seriesDefaults: { keepDays: 90 } } },
      ),
    );
    // The key store stamps writes with the wall clock, not the engine's: compare without the stamp.
    const unstamped = (e: Envelope<unknown>): unknown =>
      JSON.parse(JSON.stringify(e), (k, v: unknown) => (k === 'updatedAt' ? undefined : v));
    const set = await twin(
      'keys:set',
      { name: 'coingecko', value: SECRET },
      { name: 'coingecko', value: SECRET },
      unstamped,
    );
    await check('keys:set', async () => expect(JSON.stringify(set)).not.toContain(SECRET));
    await check('keys:clear', () => twin('keys:clear', { name: 'coingecko' }, { name: 'coingecko' }, unstamped));

    // Who calls differs by design (the loopback dashboard, the desktop window); what they may do does not.
    const roleOnly = (e: Envelope<unknown>): unknown => ({ role: resultOf<{ role: string }>(e).role });
    await check('session:info', () => twin('session:info', undefined, undefined, roleOnly));
    // Reading the log is not recorded in it, so both see the same rows: each transport's changes above.
    await check('audit:list', () => same('audit:list', { channel: 'series:pause' }));
    const pauses = resultOf<Array<{ actor: string; outcome: string }>>(
      await overWs('audit:list', { channel: 'series:pause' }),
    );
    expect(pauses.map((r) => [r.actor, r.outcome]).sort()).toEqual([
      ['dashboard', 'ok'],
      ['desktop', 'ok'],
    ]);

    // A channel added to the contract without a case here fails this test.
    expect(Object.keys(channelArgs).filter((c) => !covered.has(c))).toEqual([]);
  });

  it('every channel refuses bad arguments with the same error on both transports', async () => {
    for (const channel of Object.keys(channelArgs) as Channel[]) {
      const answer = await same(channel, { surely: 'not an argument' });
      expect('error' in answer && answer.error.message, channel).toMatch(
        new RegExp(`^invalid arguments for ${channel}`),
      );
    }
    const unknown = await same('series:explode' as Channel);
    expect('error' in unknown && unknown.error.message).toMatch(/series:explode/);
  });

  it('splits every channel by role: a read token reads, is refused every change, and the desktop window may do all', async () => {
    const token = runtime.store.tokens.issue('parity-reader', 'read', Date.now());
    const reader = new WebSocket(`${server.url.replace('http', 'ws')}/ws`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    await new Promise((resolve, reject) => reader.once('open', resolve).once('error', reject));
    const asReader = (channel: string, args?: unknown): Promise<Envelope<unknown>> =>
      new Promise((resolve) => {
        const id = nextId++;
        const onMessage = (data: WebSocket.RawData): void => {
          const msg = JSON.parse(String(data)) as { id?: number } & Envelope<unknown>;
          if (msg.id !== id) return;
          reader.off('message', onMessage);
          resolve(msg);
        };
        reader.on('message', onMessage);
        reader.send(JSON.stringify({ id, channel, args }));
      });
    try {
      expect(resultOf(await asReader('session:info'))).toEqual({ actor: 'token:parity-reader', role: 'read' });
      const before = runtime.store.audit.list({ actor: 'token:parity-reader' }).length;
      // Arguments no channel accepts: a call the role lets through fails validation and changes nothing.
      const bad = { surely: 'not an argument' };
      const refusedChannels: string[] = [];
      for (const channel of Object.keys(channelArgs) as Channel[]) {
        const [read, desktop] = [await asReader(channel, bad), await overIpc(channel, bad)];
        expect('error' in desktop && desktop.error.message, channel).toMatch(
          new RegExp(`^invalid arguments for ${channel}`),
        );
        if (CHANNEL_ACCESS[channel] === 'read') {
          expect('error' in read && read.error.message, channel).toMatch(
            new RegExp(`^invalid arguments for ${channel}`),
          );
        } else {
          expect('error' in read && read.error, channel).toMatchObject({ name: 'ForbiddenError' });
          refusedChannels.push(channel);
        }
      }
      expect(refusedChannels).toContain('series:remove');
      expect(refusedChannels).toContain('audit:list');
      const refusals = runtime.store.audit.list({ actor: 'token:parity-reader', outcome: 'refused' });
      expect(refusals.length - before).toBe(refusedChannels.length);
      expect(refusals.map((r) => r.channel).sort()).toEqual([...refusedChannels].sort());
      for (const r of refusals) expect(r.reason).toMatch(/^wrong role/);
    } finally {
      reader.close();
    }
  });

  it('pushes the same events to both transports', async () => {
    const onIpc: unknown[] = [];
    const stop = bridge.on('series:changed', (payload) => onIpc.push(payload));
    const from = wsEvents.length;
    const btc = resultOf<Array<{ id: number }>>(await overWs('series:list'))[0]!.id;
    await overIpc('series:pause', { seriesId: btc });
    await overWs('series:resume', { seriesId: btc });
    const changedOnWs = (): unknown[] =>
      wsEvents
        .slice(from)
        .filter((e) => (e as { event: string }).event === 'series:changed')
        .map((e) => (e as { payload: unknown }).payload);
    for (let i = 0; i < 100 && changedOnWs().length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    stop();
    const onWs = changedOnWs();
    expect(onWs.length).toBeGreaterThanOrEqual(2);
    expect(onIpc).toStrictEqual(onWs);
  });
});
