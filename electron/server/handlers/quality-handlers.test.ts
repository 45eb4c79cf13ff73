/** `quality:report` over the headless server's HTTP API: the same report the CLI prints, errors as data. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { startSimulator, type Simulator } from '../../simulator/simulator.js';
import { createRuntime, type Runtime } from '../../runtime.js';
import { serveRuntime } from '../serve-runtime.js';
import type { RunningServer } from '../http-server.js';
import { FileSecretStore } from '../../secrets/file-secret-store.js';
import { tempDir } from '../../test-support/temp-db.js';
import { backfill } from '../../engine/backfill.js';
import { BinanceSource } from '../../sources/binance.js';
import type { QualityReport } from '../../../shared/quality.js';

let sim: Simulator;
let runtime: Runtime;
let server: RunningServer;
let dir: ReturnType<typeof tempDir>;
const FROM = Date.parse('2024-01-01T00:00:00Z');

async function call(channel: string, args?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}/api/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: args === undefined ? '' : JSON.stringify(args),
  });
  return { status: res.status, body: await res.json() };
}

beforeEach(async () => {
  dir = tempDir();
  sim = await startSimulator({ seed: 3 });
  runtime = createRuntime({
    dbPath: path.join(dir.dir, 'api.db'),
    shell: 'node',
    env: { CANDLEKEEP_BINANCE_URL: `${sim.url}/binance` },
    secrets: new FileSecretStore(path.join(dir.dir, 'secrets.json')),
  });
  server = await serveRuntime(runtime, { staticDir: dir.dir, port: 0 });
});

afterEach(async () => {
  await server.close();
  await runtime.close();
  await sim.close();
  dir.cleanup();
});

describe('quality:report', () => {
  it('reports every series, or the ones asked for; an unknown one or bad arguments come back as an error', async () => {
    sim.faults.add({ kind: 'invalid_candle', invalid: 'low_above_min', openTime: FROM + 3 * 3_600_000 });
    const source = new BinanceSource({ hosts: [`${sim.url}/binance`], clock: runtime.clock, network: runtime.network });
    for (const symbol of ['BTCUSDT', 'ETHUSDT']) {
      await backfill(
        { store: runtime.store, source, clock: runtime.clock },
        { key: { source: 'binance', symbol, timeframe: '1h' }, from: FROM, to: FROM + 86_400_000 },
      );
    }
    const all = await call('quality:report', {});
    expect(all.status).toBe(200);
    const reports = all.body.result as QualityReport[];
    // The raw row comes with its reason, so the dashboard can show what the source actually sent.
    const rejected = {
      reason: 'low_above_min',
      candles: 1,
      lastSeenAt: expect.any(Number),
      examples: [
        {
          ts: FROM + 3 * 3_600_000,
          raw: expect.stringMatching(new RegExp(`^\\[${FROM + 3 * 3_600_000},"`)),
          detail: expect.stringMatching(/^low .* > min\(open/),
          lastSeenAt: expect.any(Number),
          timesSeen: expect.any(Number),
        },
      ],
    };
    expect(reports.map((r) => [r.symbol, r.rejected])).toEqual([
      ['BTCUSDT', [rejected]],
      ['ETHUSDT', [rejected]],
    ]);
    const one = await call('quality:report', { seriesIds: [reports[1]!.seriesId] });
    expect((one.body.result as QualityReport[]).map((r) => r.symbol)).toEqual(['ETHUSDT']);
    expect((await call('quality:report', { seriesIds: [999] })).body).toEqual({
      error: { name: 'ApiError', message: 'no series with id 999' },
    });
    expect((await call('quality:report', { seriesIds: 'all' })).body.error.message).toMatch(
      /^invalid arguments for quality:report: seriesIds: /,
    );
  });
});
