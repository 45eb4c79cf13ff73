/**
 * `candlekeep serve [--port N] [--host ADDR --token T] [--db FILE]`: the engine, the dashboard and its
 * API. Binds 127.0.0.1; any other address needs a token (--token or CANDLEKEEP_TOKEN).
 */
import { fileURLToPath } from 'node:url';
import { parse, port } from '../args.js';
import { UsageError } from '../errors.js';
import { line, type CliIo } from '../io.js';
import { DB_OPTION, dbPath } from './common.js';
import { createRuntime } from '../../runtime.js';
import { isLoopback, serveRuntime } from '../../server/serve-runtime.js';

export const DEFAULT_PORT = 8137;

/** Where `npm run build` (and `npm install`) put the built dashboard. */
export const RENDERER_DIR = fileURLToPath(new URL('../../../out/renderer', import.meta.url));

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, { ...DB_OPTION, port: { type: 'string' }, host: { type: 'string' }, token: { type: 'string' } });
  const host = (values.host as string | undefined) ?? '127.0.0.1';
  const token = (values.token as string | undefined) ?? io.env.CANDLEKEEP_TOKEN;
  if (!isLoopback(host) && !token) throw new UsageError(`--host ${host} is reachable from other machines: also pass --token T (or set CANDLEKEEP_TOKEN)`);
  if (token !== undefined && token.length < 16) throw new UsageError('the token must be at least 16 characters');
  const runtime = createRuntime({ dbPath: dbPath(values, io), shell: 'node', env: io.env, logToFile: true, logConsole: io.stderr });
  const server = await serveRuntime(runtime, { staticDir: RENDERER_DIR, host, port: port(values.port as string | undefined, DEFAULT_PORT), token }).catch(async (err: NodeJS.ErrnoException) => {
    await runtime.close();
    throw err.code === 'EADDRINUSE' ? new Error(`port ${values.port ?? DEFAULT_PORT} is in use: pick another with --port`) : err;
  });
  await runtime.start();
  line(io.stdout, `serving ${server.url} (database ${runtime.store.file})${token ? ' — requests need the token' : ''}`);
  await new Promise<void>((resolve) => io.stopSignal.addEventListener('abort', () => resolve(), { once: true }));
  await server.close();
  await runtime.close();
  return 0;
}
