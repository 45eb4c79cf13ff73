/** `candlekeep sim [--port N] [--seed S]`: the exchange simulator; first line `listening http://127.0.0.1:N`. */
import { parse, port } from '../args.js';
import { UsageError } from '../errors.js';
import { line, type CliIo } from '../io.js';
import { startSimulator } from '../../simulator/simulator.js';

export const usage = 'sim [--port N] [--seed S]';

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, { port: { type: 'string' }, seed: { type: 'string' } });
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed '${String(values.seed)}' must be an integer`);
  const sim = await startSimulator({ seed, port: port(values.port as string | undefined, 0) });
  line(io.stdout, `listening ${sim.url}`);
  line(io.stdout, `  binance: CANDLEKEEP_BINANCE_URL=${sim.url}/binance`);
  await new Promise<void>((resolve) => io.stopSignal.addEventListener('abort', () => resolve(), { once: true }));
  await sim.close();
  return 0;
}
