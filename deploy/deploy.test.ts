/**
 * The deployment files say what the tests run: the image's start command and healthcheck, the
 * compose services' commands and the systemd unit's ExecStart are read from the files and run here
 * as they are written (the image's /app and /data, and the unit's folders, mapped to this checkout
 * and a temporary folder; the port swapped for a free one, in every command alike).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { tempDir } from '../electron/test-support/temp-db.js';
import { startSimulator } from '../electron/simulator/simulator.js';
import { postgresUnavailable, startPostgres } from '../electron/test-support/postgres.js';
import { floorToTimeframe, MINUTE_MS } from '../shared/timeframe.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const PORT = '8137';
const dir = tempDir();
afterAll(() => dir.cleanup());

interface Stage {
  from: string;
  lines: Array<{ instruction: string; args: string }>;
}

/** Dockerfile instructions by stage (continuation lines joined, comments dropped). */
function dockerfileStages(text: string): Stage[] {
  const joined = text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ');
  const stages: Stage[] = [];
  for (const raw of joined.split('\n')) {
    const m = /^\s*([A-Z]+)\s+(.*)$/.exec(raw);
    if (!m) continue;
    if (m[1] === 'FROM') stages.push({ from: m[2]!.trim(), lines: [] });
    else stages.at(-1)!.lines.push({ instruction: m[1]!, args: m[2]!.trim() });
  }
  return stages;
}

const arg = (stage: Stage, instruction: string): string | undefined =>
  stage.lines.filter((l) => l.instruction === instruction).at(-1)?.args;
const execForm = (value: string | undefined): string[] => JSON.parse(value ?? 'null') as string[];

const stages = dockerfileStages(fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
const runtime = stages.at(-1)!;
const entrypoint = execForm(arg(runtime, 'ENTRYPOINT'));
const imageCmd = execForm(arg(runtime, 'CMD'));
const healthcheck = execForm(/CMD\s+(\[.*\])$/.exec(arg(runtime, 'HEALTHCHECK') ?? '')?.[1]);
// Compose resolves `<<:` merge keys, as YAML 1.1 did.
const compose = parseYaml(fs.readFileSync(path.join(ROOT, 'deploy/compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      command?: string[];
      volumes?: string[];
      healthcheck?: { test?: string[]; disable?: boolean };
      ports?: string[];
      environment?: Record<string, string>;
      image?: string;
    }
  >;
  volumes: Record<string, unknown>;
};

async function freePort(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return String(port);
}

/** A command of the image as this checkout runs it: `node` is this Node, /app this folder. */
function local(argv: string[], port: string): string[] {
  return argv
    .map((a) => a.replaceAll(PORT, port).replace(/^\/app\//, `${ROOT}/`))
    .map((a, i) => (i === 0 && a === 'node' ? process.execPath : a));
}

function run(
  argv: string[],
  env: NodeJS.ProcessEnv,
  cwd = ROOT,
): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

async function until(what: string, probe: () => boolean, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the Docker image', () => {
  it('is built in one stage that compiles better-sqlite3 without Electron, and runs as a user that is not root', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const build = stages[0]!.lines.map((l) => `${l.instruction} ${l.args}`).join('\n');
    expect(build).toMatch(/ELECTRON_SKIP_BINARY_DOWNLOAD=1/);
    expect(build).toMatch(/npm ci/);
    expect(build).toMatch(/npm rebuild better-sqlite3 --build-from-source/);
    const user = arg(runtime, 'USER');
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(runtime.lines.some((l) => l.instruction === 'COPY' && l.args.startsWith('--from=build'))).toBe(true);
  });

  it('its start command serves, and its healthcheck passes against it and fails once it stops', async () => {
    const home = fs.mkdtempSync(path.join(dir.dir, 'image-'));
    const env = { CANDLEKEEP_HOME: home };
    expect(arg(runtime, 'ENV')).toMatch(/CANDLEKEEP_HOME=\/data/);
    const port = await freePort();
    // Bound to every address, serve wants a token first: the step the compose file's notes give.
    const token = run([...local(entrypoint, port), 'tokens', 'add', 'admin', '--role', 'admin'], env);
    expect(await token.exit).toBe(0);
    const serve = run([...local(entrypoint, port), ...local(imageCmd, port)], env);
    await until('serve to listen', () => serve.output().includes('serving http://0.0.0.0:'), serve.output);
    const check = run(local(healthcheck, port), {});
    expect(await check.exit).toBe(0);
    serve.child.kill('SIGTERM');
    expect(await serve.exit).toBe(0);
    const after = run(local(healthcheck, port), {});
    expect(await after.exit).toBe(1);
  });
});

describe('deploy/compose.yaml', () => {
  it('runs a daemon and a serve that does not collect, on one data volume, with the image healthcheck on serve', () => {
    const { daemon, serve } = compose.services;
    expect(daemon?.command).toEqual(['daemon']);
    expect(daemon?.healthcheck?.disable).toBe(true);
    expect(serve?.command).toEqual([...imageCmd, '--no-engine']);
    expect(serve?.healthcheck?.test).toEqual(['CMD', ...healthcheck]);
    expect(serve?.ports).toEqual([`127.0.0.1:${PORT}:${PORT}`]);
    expect(daemon?.volumes).toEqual(['candlekeep-data:/data']);
    expect(serve?.volumes).toEqual(daemon?.volumes);
    expect(Object.keys(compose.volumes)).toEqual(['candlekeep-data', 'postgres-data']);
  });

  it('keeps the data in its PostgreSQL service: daemon and serve are given its URL, the password from the environment', () => {
    const { daemon, serve, postgres } = compose.services;
    const url = daemon?.environment?.CANDLEKEEP_DATABASE_URL;
    expect(url).toBe('postgres://candlekeep:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}@postgres:5432/candlekeep');
    expect(serve?.environment).toEqual(daemon?.environment);
    expect(postgres?.image).toMatch(/^timescale\/timescaledb:/);
    expect(postgres?.environment).toMatchObject({ POSTGRES_USER: 'candlekeep', POSTGRES_DB: 'candlekeep' });
    expect(postgres?.environment?.POSTGRES_PASSWORD).toBe('${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}');
  });

  it("its services' commands run together on one database: a series added through serve is collected by the daemon", async () => {
    const sim = await startSimulator({ seed: 3 });
    // The compose file's PostgreSQL, here a throwaway one (SQLite in the data folder where PostgreSQL cannot be had).
    const pg = postgresUnavailable() ? null : await startPostgres();
    const home = fs.mkdtempSync(path.join(dir.dir, 'compose-'));
    const env = {
      CANDLEKEEP_HOME: home,
      CANDLEKEEP_BINANCE_URL: `${sim.url}/binance`,
      CANDLEKEEP_BINANCE_ARCHIVES: 'off',
      ...(pg ? { CANDLEKEEP_DATABASE_URL: pg.url } : {}),
    };
    const port = await freePort();
    const tokens = run([...local(entrypoint, port), 'tokens', 'add', 'admin', '--role', 'admin'], env);
    expect(await tokens.exit).toBe(0);
    const token = tokens.output().split('\n')[0]!;
    const daemon = run([...local(entrypoint, port), ...compose.services.daemon!.command!], env);
    const serve = run([...local(entrypoint, port), ...local(compose.services.serve!.command!, port)], env);
    try {
      await until('the daemon', () => daemon.output().includes('daemon running'), daemon.output);
      await until('serve', () => serve.output().includes('not collecting'), serve.output);
      const check = run(local(compose.services.serve!.healthcheck!.test!.slice(1), port), {});
      expect(await check.exit).toBe(0);
      const from = floorToTimeframe('1m', Date.now()) - 30 * MINUTE_MS;
      const answer = await fetch(`http://127.0.0.1:${port}/api/series:add`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ source: 'binance', symbol: 'BNBUSDT', timeframe: '1m', from }),
      });
      expect(((await answer.json()) as { result?: { symbol: string } }).result?.symbol).toBe('BNBUSDT');
      const added = Date.now();
      // Backfills run in the engine's process: this serve refuses them, and nothing is added.
      const backfill = await fetch(`http://127.0.0.1:${port}/api/backfill:start`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({
          source: 'binance',
          symbol: 'ETHUSDT',
          timeframe: '1m',
          from,
          to: from + 10 * MINUTE_MS,
        }),
      });
      expect(((await backfill.json()) as { error?: { message: string } }).error?.message).toMatch(
        /^this server does not run the engine \(serve --no-engine\)/,
      );
      const listed = await fetch(`http://127.0.0.1:${port}/api/series:list`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: 'null',
      });
      expect(((await listed.json()) as { result: Array<{ symbol: string }> }).result.map((s) => s.symbol)).toEqual([
        'BNBUSDT',
      ]);
      const first = (): { wallAt: number } | undefined =>
        sim.log.since().find((e) => e.path.endsWith('/klines') && e.query.symbol === 'BNBUSDT');
      await until('the daemon to fetch BNBUSDT', () => first() !== undefined, daemon.output);
      expect(first()!.wallAt - added).toBeLessThan(5_000);
      if (pg) {
        expect(await pg.sql('SELECT symbol FROM series')).toBe('BNBUSDT');
        expect(fs.existsSync(path.join(home, 'candlekeep.db'))).toBe(false);
      }
    } finally {
      serve.child.kill('SIGTERM');
      daemon.child.kill('SIGTERM');
      expect(await serve.exit).toBe(0);
      expect(await daemon.exit).toBe(0);
      await sim.close();
      await pg?.stop();
    }
  });
});

describe('deploy/candlekeep-daemon.service', () => {
  const unit = fs.readFileSync(path.join(ROOT, 'deploy/candlekeep-daemon.service'), 'utf8');
  const service = new Map<string, string[]>();
  for (const line of unit.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (m) service.set(m[1]!, [...(service.get(m[1]!) ?? []), m[2]!]);
  }
  const one = (key: string): string | undefined => service.get(key)?.at(-1);

  it('is hardened: no new privileges, a read-only system, no home, no capabilities, not root', () => {
    expect(one('NoNewPrivileges')).toBe('yes');
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('ProtectHome')).toBe('yes');
    expect(one('PrivateTmp')).toBe('yes');
    expect(one('CapabilityBoundingSet')).toBe('');
    expect(one('User')).toBe('candlekeep');
    expect(one('StateDirectory')).toBe('candlekeep');
  });

  it('its ExecStart runs the daemon on the state folder, and SIGTERM stops it cleanly', async () => {
    const state = fs.mkdtempSync(path.join(dir.dir, 'unit-'));
    const env = Object.fromEntries(
      (service.get('Environment') ?? [])
        .map((e) => e.split('=') as [string, string])
        .map(([k, v]) => [k, v.replace('/var/lib/candlekeep', state)]),
    );
    const argv = one('ExecStart')!
      .split(' ')
      .map((a) =>
        a
          .replace('/opt/candlekeep', ROOT)
          .replace('/var/lib/candlekeep', state)
          .replace(/^\/usr\/bin\/node$/, process.execPath),
      );
    expect(argv.slice(2, 3)).toEqual(['daemon']);
    const daemon = run(argv, env, state);
    await until(
      'the daemon',
      () => daemon.output().includes(`database ${path.join(state, 'candlekeep.db')}`),
      daemon.output,
    );
    expect(one('KillSignal')).toBe('SIGTERM');
    daemon.child.kill('SIGTERM');
    expect(await daemon.exit).toBe(0);
  });
});
