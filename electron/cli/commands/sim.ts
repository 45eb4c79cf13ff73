/**
 * `candlekeep sim [--port N] [--seed S] [--hosts N] [--faults none|flaky|hostile|streams] [--time-scale K]
 *  [--weight-limit W] [--start TIME] [--symbols N]`: the exchange simulator; first line `listening http://127.0.0.1:N`.
 */
import { instant, parse, port } from '../args.js';
import { UsageError } from '../errors.js';
import { line, type CliIo } from '../io.js';
import { startSimulator } from '../../simulator/simulator.js';
import { FAULT_PROFILES, isProfile } from '../../simulator/faults.js';
import { ScaledClock, systemClock } from '../../net/clock.js';

function positive(value: unknown, name: string, fallback: number, integer = true): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new UsageError(`--${name} '${String(value)}' must be a positive ${integer ? 'integer' : 'number'}`);
  return n;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, {
    port: { type: 'string' },
    seed: { type: 'string' },
    hosts: { type: 'string' },
    faults: { type: 'string' },
    'time-scale': { type: 'string' },
    'weight-limit': { type: 'string' },
    start: { type: 'string' },
    latency: { type: 'string' },
    symbols: { type: 'string' },
  });
  const latency = values.latency === undefined ? 0 : Number(values.latency);
  if (!Number.isInteger(latency) || latency < 0 || latency > 60_000)
    throw new UsageError(`--latency '${String(values.latency)}' must be whole milliseconds (0 to 60000)`);
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed '${String(values.seed)}' must be an integer`);
  const faults = (values.faults as string | undefined) ?? 'none';
  if (!isProfile(faults))
    throw new UsageError(`unknown --faults '${faults}': use ${Object.keys(FAULT_PROFILES).join(', ')}`);
  const scale = positive(values['time-scale'], 'time-scale', 1, false);
  const start = typeof values.start === 'string' ? instant(values.start, 'start') : Date.now();
  const clock = scale === 1 && values.start === undefined ? systemClock : new ScaledClock(start, scale);
  const sim = await startSimulator({
    seed,
    clock,
    faults,
    port: port(values.port as string | undefined, 0),
    hosts: positive(values.hosts, 'hosts', 1),
    weightLimit: positive(values['weight-limit'], 'weight-limit', 6000),
    latencyMs: latency,
    symbols: values.symbols === undefined ? 0 : positive(values.symbols, 'symbols', 0),
  });
  line(io.stdout, `listening ${sim.url}`);
  for (const extra of sim.urls.slice(1)) line(io.stdout, `also listening ${extra}`);
  line(io.stdout, `  binance: CANDLEKEEP_BINANCE_URL=${sim.urls.map((u) => `${u}/binance`).join(',')}`);
  line(io.stdout, `  coingecko: CANDLEKEEP_COINGECKO_URL=${sim.url}/coingecko/api/v3`);
  line(io.stdout, `  yahoo: CANDLEKEEP_YAHOO_URL=${sim.urls.map((u) => `${u}/yahoo`).join(',')}`);
  line(
    io.stdout,
    `  ccxt:binance: CANDLEKEEP_CCXT_BINANCE_URL=${sim.url}/binance/api/v3 CANDLEKEEP_CCXT_BINANCE_WS_URL=${sim.url.replace('http', 'ws')}/binance/ws CANDLEKEEP_CCXT_BINANCE_OPTIONS='{"fetchMarkets":["spot"]}'`,
  );
  line(
    io.stdout,
    `  binance streams: CANDLEKEEP_BINANCE_WS_URL=${sim.url.replace('http', 'ws')}/binance (derived from CANDLEKEEP_BINANCE_URL when unset)`,
  );
  line(io.stdout, `  binance archives: CANDLEKEEP_BINANCE_DATA_URL=${sim.url}/binance-data`);
  line(io.stdout, `  faults: ${faults}; time scale ${scale}x; control API ${sim.url}/_sim/`);
  await new Promise<void>((resolve) => io.stopSignal.addEventListener('abort', () => resolve(), { once: true }));
  await sim.close();
  return 0;
}
