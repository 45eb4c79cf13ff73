/** `candlekeep serve [--port N] [--db FILE]`: the dashboard and its API on 127.0.0.1. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, port } from '../args.js';
import { line, type CliIo } from '../io.js';
import { DB_OPTION, dbPath } from './common.js';
import { createRuntime } from '../../runtime.js';
import { startServer } from '../../server/http-server.js';

export const usage = 'serve [--port N] [--db FILE]';
export const DEFAULT_PORT = 8137;

/** Where `npm run build` (and `npm install`) put the built dashboard. */
export const RENDERER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../out/renderer');

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, { ...DB_OPTION, port: { type: 'string' } });
  const runtime = createRuntime({ dbPath: dbPath(values, io), shell: 'node', env: io.env });
  const server = await startServer({
    handlers: runtime.handlers,
    events: runtime.events,
    staticDir: RENDERER_DIR,
    port: port(values.port as string | undefined, DEFAULT_PORT),
  }).catch(async (err: NodeJS.ErrnoException) => {
    await runtime.close();
    throw err.code === 'EADDRINUSE' ? new Error(`port ${values.port ?? DEFAULT_PORT} is in use: pick another with --port`) : err;
  });
  line(io.stdout, `serving ${server.url} (database ${runtime.store.file})`);
  await new Promise<void>((resolve) => io.stopSignal.addEventListener('abort', () => resolve(), { once: true }));
  await server.close();
  await runtime.close();
  return 0;
}
