/**
 * A throwaway PostgreSQL for tests: a new cluster in a temporary folder, on a free loopback port,
 * run by the `postgres` OS user when the tests run as root (PostgreSQL refuses to run as root), and
 * removed on `stop`. Uses Debian's `postgresql` package (.ci/run installs it); where it is absent,
 * `startPostgres` says so and the caller skips, saying why.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres`: trust authentication, loopback only. */
  url: string;
  /** Run SQL with psql; returns its unaligned output. */
  sql(query: string): Promise<string>;
  stop(): Promise<void>;
}

/** The newest installed server's bin folder, or null. */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0]!, 'bin') : null;
}

/** Why PostgreSQL tests cannot run here, or null when they can. */
export function postgresUnavailable(): string | null {
  if (!postgresBinDir()) return 'PostgreSQL is not installed (apt-get install postgresql)';
  if (process.getuid?.() === 0 && !fs.existsSync('/usr/sbin/runuser'))
    return 'running as root without runuser to start PostgreSQL as the postgres user';
  return null;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error(postgresUnavailable()!);
  const asRoot = process.getuid?.() === 0;
  // As root, every server command runs as `postgres`, which must own the cluster's folder.
  const exec = (file: string, args: string[]) =>
    asRoot
      ? run('/usr/sbin/runuser', ['-u', 'postgres', '--', path.join(bin, file), ...args])
      : run(path.join(bin, file), args);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candlekeep-pg-'));
  if (asRoot)
    fs.chownSync(
      dir,
      Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
      Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
    );
  const data = path.join(dir, 'data');
  const port = await freePort();
  const stopServer = async (): Promise<void> => {
    await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
  };
  try {
    await exec('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
    const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
    await exec('pg_ctl', [
      '-D',
      data,
      '-o',
      serverOptions,
      '-l',
      path.join(dir, 'server.log'),
      '-w',
      '-t',
      '60',
      'start',
    ]);
  } catch (err) {
    await stopServer();
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    sql: async (query) =>
      (await run(path.join(bin, 'psql'), [url, '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', query])).stdout.trim(),
    stop: async () => {
      await stopServer();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
