/**
 * `candlekeep serve [--port N] [--host ADDR] [--token T] [--require-token] [--allow-host NAME]...
 * [--allow-origin ORIGIN]... [--no-engine] [--no-streams] [--read-workers N] [--db FILE]`: the engine, the
 * dashboard and its API. Binds 127.0.0.1; any other address needs a token (--token, CANDLEKEEP_TOKEN, or
 * one made with `candlekeep tokens add`). `--no-engine`: the dashboard and API only, beside a daemon that
 * collects into the same database (changes made here reach it within seconds). `--no-streams`: live tails
 * poll REST instead of Binance's kline streams. The candle API, exports and charts are read on N worker
 * threads (by default one per spare core, at most four; 0 reads on the main thread).
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, port } from '../args.js';
import { UsageError } from '../errors.js';
import { line, stoppedBy, untilStopped, type CliIo } from '../io.js';
import { DB_OPTION, databaseExists, dbPath, noStreams } from './common.js';
import { createRuntime } from '../../runtime.js';
import { Store } from '../../store/store.js';
import { isLoopback, serveRuntime } from '../../server/serve-runtime.js';

export const DEFAULT_PORT = 8137;

/** Where `npm run build` (and `npm install`) put the built dashboard. */
export const RENDERER_DIR = fileURLToPath(new URL('../../../out/renderer', import.meta.url));

const HOST_NAME = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?)$/i;

function allowHosts(values: unknown): string[] {
  const names = (values as string[] | undefined) ?? [];
  for (const name of names) {
    if (!HOST_NAME.test(name))
      throw new UsageError(
        `--allow-host '${name}' is not a host name: give the name alone, without scheme or port, e.g. --allow-host candles.lan`,
      );
  }
  return names;
}

function allowOrigins(values: unknown): string[] {
  const origins = (values as string[] | undefined) ?? [];
  for (const origin of origins) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = null;
    }
    if (
      !parsed ||
      (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') ||
      parsed.origin !== origin.replace(/\/$/, '').toLowerCase()
    ) {
      throw new UsageError(
        `--allow-origin '${origin}' is not an origin: write scheme, host and port only, e.g. --allow-origin https://tools.example:8443`,
      );
    }
  }
  return origins.map((o) => o.replace(/\/$/, '').toLowerCase());
}

const MAX_READ_WORKERS = 32;

function workerCount(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > MAX_READ_WORKERS)
    throw new UsageError(
      `--read-workers '${value}' is not a thread count: give 0 (read on the engine's thread) to ${MAX_READ_WORKERS}`,
    );
  return n;
}

/** Whether the database holds any token, without creating a database that is not there. */
function hasStoredTokens(file: string): boolean {
  if (!databaseExists(file)) return false;
  const store = Store.open(file);
  try {
    return !store.readonly && store.tokens.count() > 0;
  } finally {
    store.close();
  }
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, {
    ...DB_OPTION,
    port: { type: 'string' },
    host: { type: 'string' },
    token: { type: 'string' },
    'require-token': { type: 'boolean' },
    'no-engine': { type: 'boolean' },
    'no-streams': { type: 'boolean' },
    'allow-host': { type: 'string', multiple: true },
    'allow-origin': { type: 'string', multiple: true },
    'read-workers': { type: 'string' },
  });
  const readWorkers = workerCount(values['read-workers'] as string | undefined);
  const host = (values.host as string | undefined) ?? '127.0.0.1';
  const token = (values.token as string | undefined) ?? io.env.CANDLEKEEP_TOKEN;
  if (token !== undefined && token.length < 16) throw new UsageError('the token must be at least 16 characters');
  const hosts = allowHosts(values['allow-host']);
  const origins = allowOrigins(values['allow-origin']);
  const file = dbPath(values, io);
  if (!isLoopback(host) && !token && !hasStoredTokens(file)) {
    throw new UsageError(
      `--host ${host} is reachable from other machines: create a token first ('candlekeep tokens add NAME --role admin') or pass --token T (or set CANDLEKEEP_TOKEN)`,
    );
  }
  const collect = !values['no-engine'];
  const runtime = createRuntime({
    dbPath: file,
    shell: 'node',
    env: noStreams(values, io.env),
    logToFile: true,
    logConsole: io.stderr,
    collect,
  });
  const requireToken = Boolean(values['require-token']) || token !== undefined || !isLoopback(host);
  const server = await serveRuntime(runtime, {
    staticDir: RENDERER_DIR,
    host,
    port: port(values.port as string | undefined, DEFAULT_PORT),
    token,
    requireToken,
    readWorkers,
    allowHosts: hosts,
    allowOrigins: origins,
  }).catch(async (err: NodeJS.ErrnoException) => {
    await runtime.close();
    throw err.code === 'EADDRINUSE'
      ? new Error(`port ${values.port ?? DEFAULT_PORT} is in use: pick another with --port`)
      : err;
  });
  await runtime.start();
  line(
    io.stdout,
    `serving ${server.url} (database ${runtime.store.file})${requireToken ? ' — requests need a token' : ''}${collect ? '' : ' — not collecting: a daemon on this database does'}`,
  );
  await untilStopped(io.stopSignal);
  await server.close();
  await runtime.close();
  return stoppedBy(io.stopSignal);
}
