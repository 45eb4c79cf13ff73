/**
 * `candlekeep demo [--port N] [--faults none|flaky|hostile] [--db FILE]`: the exchange simulator plus
 * the headless dashboard, with a few series backfilling from it, so anyone can watch Candlekeep work
 * offline. Without --db the demo database lives in a temporary folder and goes when the demo stops.
 */
import { isServerUrl } from '../../store/postgres/pg-open.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, port } from '../args.js';
import { UsageError } from '../errors.js';
import { line, type CliIo } from '../io.js';
import { createRuntime } from '../../runtime.js';
import { serveRuntime } from '../../server/serve-runtime.js';
import { startSimulator } from '../../simulator/simulator.js';
import { FAULT_PROFILES, isProfile } from '../../simulator/faults.js';
import { FileSecretStore } from '../../secrets/file-secret-store.js';
import { RENDERER_DIR, DEFAULT_PORT } from './serve.js';
import { DAY_MS, floorToTimeframe, type Timeframe } from '../../../shared/timeframe.js';

const DEMO_SERIES: Array<{ source: string; symbol: string; timeframe: Timeframe; days: number }> = [
  { source: 'binance', symbol: 'BTCUSDT', timeframe: '1m', days: 3 },
  { source: 'binance', symbol: 'ETHUSDT', timeframe: '5m', days: 30 },
  { source: 'binance', symbol: 'SOLUSDT', timeframe: '1h', days: 365 },
  { source: 'coingecko', symbol: 'bitcoin/usd', timeframe: '4h', days: 25 },
  { source: 'yahoo', symbol: 'AAPL', timeframe: '5m', days: 20 },
];

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, { port: { type: 'string' }, faults: { type: 'string' }, db: { type: 'string' } });
  const faults = (values.faults as string | undefined) ?? 'none';
  if (!isProfile(faults))
    throw new UsageError(`unknown --faults '${faults}': use ${Object.keys(FAULT_PROFILES).join(', ')}`);
  const db = typeof values.db === 'string' ? values.db : null;
  // A demo keeps its keys beside its database file; without one (none given, or a server's URL), in a
  // temporary folder that goes when the demo stops.
  const temp = db && !isServerUrl(db) ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'candlekeep-demo-'));
  const dbPath = db ?? path.join(temp!, 'demo.db');
  const sim = await startSimulator({ seed: 1, faults });
  const env = {
    ...io.env,
    CANDLEKEEP_BINANCE_URL: `${sim.url}/binance`,
    CANDLEKEEP_COINGECKO_URL: `${sim.url}/coingecko/api/v3`,
    CANDLEKEEP_YAHOO_URL: `${sim.url}/yahoo`,
  };
  const runtime = createRuntime({
    dbPath,
    shell: 'node',
    env,
    logToFile: true,
    secrets: new FileSecretStore(path.join(temp ?? path.dirname(dbPath), 'demo-secrets.json')),
  });
  try {
    const today = floorToTimeframe('1d', Date.now());
    for (const s of DEMO_SERIES)
      runtime.store.series.ensure(
        { source: s.source, symbol: s.symbol, timeframe: s.timeframe },
        today - s.days * DAY_MS,
        Date.now(),
      );
    const server = await serveRuntime(runtime, {
      staticDir: RENDERER_DIR,
      port: port(values.port as string | undefined, DEFAULT_PORT),
    });
    await runtime.start();
    line(io.stdout, `Candlekeep demo: open ${server.url}`);
    line(
      io.stdout,
      `  simulator ${sim.url} (faults: ${faults}); ${DEMO_SERIES.length} series backfilling; Ctrl-C to stop`,
    );
    await new Promise<void>((resolve) => io.stopSignal.addEventListener('abort', () => resolve(), { once: true }));
    await server.close();
  } finally {
    await runtime.close();
    await sim.close();
    if (temp) fs.rmSync(temp, { recursive: true, force: true });
  }
  return 0;
}
