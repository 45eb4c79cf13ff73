/**
 * The deployment files say what the tests run: the image's start command and healthcheck, the
 * compose services' commands and the systemd unit's ExecStart are read from the files and run here
 * as they are written (the image's /app and /data, and the unit's folders, mapped to this checkout
 * and a temporary folder; the port swapped for a free one, in every command alike). The compose
 * file is also resolved by Compose itself where it is installed, v2 or v1, and checked against the
 * Compose Specification's schema everywhere.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
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
/** The HEALTHCHECK's timing flags, e.g. { interval: '30s', start_period: '20s' }, named as compose names them. */
const healthcheckTiming = Object.fromEntries(
  [...(arg(runtime, 'HEALTHCHECK') ?? '').matchAll(/--([a-z-]+)=(\S+)/g)].map(([, k, v]) => [
    k!.replace('-', '_'),
    k === 'retries' ? Number(v) : v!,
  ]),
);
// Compose resolves `<<:` merge keys, as YAML 1.1 did.
const compose = parseYaml(fs.readFileSync(path.join(ROOT, 'deploy/compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      command?: string[];
      volumes?: string[];
      healthcheck?: { test?: string[]; disable?: boolean; interval?: string };
      hostname?: string;
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

const COLLECTORS = ['collector-a', 'collector-b'] as const;

describe('deploy/compose.yaml', () => {
  it('runs two collectors behind one IP and a serve that does not collect, on one data volume, with the image healthcheck on serve', () => {
    const { serve } = compose.services;
    const collectors = COLLECTORS.map((name) => compose.services[name]);
    expect(Object.keys(compose.services).sort()).toEqual([...COLLECTORS, 'postgres', 'serve']);
    expect(collectors.map((c) => c?.command)).toEqual(
      COLLECTORS.map((name) => ['daemon', '--collector', name, '--egress', 'this-host']),
    );
    // Each keeps its host name across restarts, so a crashed collector takes its name back at once.
    expect(collectors.map((c) => c?.hostname)).toEqual([...COLLECTORS]);
    for (const c of collectors) expect(c?.healthcheck?.disable).toBe(true);
    expect(serve?.command).toEqual([...imageCmd, '--no-engine']);
    expect(serve?.healthcheck?.test).toEqual(['CMD', ...healthcheck]);
    expect(serve?.ports).toEqual([`127.0.0.1:${PORT}:${PORT}`]);
    for (const c of collectors) expect(c?.volumes).toEqual(['candlekeep-data:/data']);
    expect(serve?.volumes).toEqual(['candlekeep-data:/data']);
    expect(Object.keys(compose.volumes)).toEqual(['candlekeep-data', 'postgres-data']);
  });

  it('keeps the data in its PostgreSQL service: collectors and serve are given its URL, the password from the environment', () => {
    const { serve, postgres } = compose.services;
    const url = serve?.environment?.CANDLEKEEP_DATABASE_URL;
    expect(url).toBe('postgres://candlekeep:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}@postgres:5432/candlekeep');
    for (const name of COLLECTORS) expect(compose.services[name]?.environment).toEqual(serve?.environment);
    expect(postgres?.image).toMatch(/^timescale\/timescaledb:/);
    expect(postgres?.environment).toMatchObject({ POSTGRES_USER: 'candlekeep', POSTGRES_DB: 'candlekeep' });
    expect(postgres?.environment?.POSTGRES_PASSWORD).toBe('${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}');
  });

  const pgUnavailable = postgresUnavailable();
  if (pgUnavailable) process.stdout.write(`skipping the compose services run together: ${pgUnavailable}\n`);
  it.skipIf(pgUnavailable)(
    "its services' commands run together on one PostgreSQL: a series added through serve is collected by the fleet",
    async () => {
      const sim = await startSimulator({ seed: 3 });
      // The compose file's PostgreSQL, here a throwaway one.
      const pg = await startPostgres();
      const home = fs.mkdtempSync(path.join(dir.dir, 'compose-'));
      const env = {
        CANDLEKEEP_HOME: home,
        CANDLEKEEP_BINANCE_URL: `${sim.url}/binance`,
        CANDLEKEEP_BINANCE_ARCHIVES: 'off',
        CANDLEKEEP_DATABASE_URL: pg.url,
      };
      const port = await freePort();
      const tokens = run([...local(entrypoint, port), 'tokens', 'add', 'admin', '--role', 'admin'], env);
      expect(await tokens.exit).toBe(0);
      const token = tokens.output().split('\n')[0]!;
      const collectors = COLLECTORS.map((name) =>
        run([...local(entrypoint, port), ...compose.services[name]!.command!], env),
      );
      const serve = run([...local(entrypoint, port), ...local(compose.services.serve!.command!, port)], env);
      const call = async (channel: string, body: unknown): Promise<{ result?: unknown; error?: { message: string } }> =>
        (await (
          await fetch(`http://127.0.0.1:${port}/api/${channel}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
            body: JSON.stringify(body),
          })
        ).json()) as { result?: unknown; error?: { message: string } };
      try {
        for (const c of collectors)
          await until('a collector', () => c.output().includes('daemon running: collector'), c.output);
        await until('serve', () => serve.output().includes('not collecting'), serve.output);
        const check = run(local(compose.services.serve!.healthcheck!.test!.slice(1), port), {});
        expect(await check.exit).toBe(0);
        const from = floorToTimeframe('1m', Date.now()) - 30 * MINUTE_MS;
        const added = await call('series:add', { source: 'binance', symbol: 'BNBUSDT', timeframe: '1m', from });
        expect((added.result as { symbol: string } | undefined)?.symbol).toBe('BNBUSDT');
        const addedAt = Date.now();
        // Backfills run in an engine's process: this serve refuses them, and nothing is added.
        const backfill = await call('backfill:start', {
          source: 'binance',
          symbol: 'ETHUSDT',
          timeframe: '1m',
          from,
          to: from + 10 * MINUTE_MS,
        });
        expect(backfill.error?.message).toMatch(/^this server does not run the engine \(serve --no-engine\)/);
        const listed = (await call('series:list', null)).result as Array<{ symbol: string }>;
        expect(listed.map((s) => s.symbol)).toEqual(['BNBUSDT']);
        const first = (): { wallAt: number } | undefined =>
          sim.log.since().find((e) => e.path.endsWith('/klines') && e.query.symbol === 'BNBUSDT');
        await until(
          'a collector to fetch BNBUSDT',
          () => first() !== undefined,
          () => collectors.map((c) => c.output()).join('\n'),
        );
        expect(first()!.wallAt - addedAt).toBeLessThan(5_000);
        expect(await pg.sql('SELECT symbol FROM series')).toBe('BNBUSDT');
        expect(fs.existsSync(path.join(home, 'candlekeep.db'))).toBe(false);
        // One egress group: `candlekeep fleet` shows both alive, and the one series leased by one of them.
        const fleet = run([...local(entrypoint, port), 'fleet', '--json'], env);
        expect(await fleet.exit).toBe(0);
        const status = JSON.parse(fleet.output()) as {
          collectors: Array<{ name: string; alive: boolean; egress: string; leases: number }>;
        };
        expect(status.collectors.map((c) => [c.name, c.alive, c.egress])).toEqual(
          COLLECTORS.map((name) => [name, true, 'this-host']),
        );
        expect(status.collectors.reduce((sum, c) => sum + c.leases, 0)).toBe(1);
        // Behind one IP they spend one budget: each takes half of it.
        for (const c of collectors)
          await until(
            'half the budget',
            () => c.output().includes("budget share of egress 'this-host': 50%"),
            c.output,
          );
      } finally {
        serve.child.kill('SIGTERM');
        for (const c of collectors) c.child.kill('SIGTERM');
        expect(await serve.exit).toBe(0);
        for (const c of collectors) expect(await c.exit).toBe(0);
        await sim.close();
        await pg.stop();
      }
    },
  );
});

/** The Compose installed here: the v2 plugin (`docker compose`), else v1 (`docker-compose`), else null. */
function installedCompose(): string[] | null {
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0) return ['docker', 'compose'];
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) return ['docker-compose'];
  return null;
}

/** `compose -f deploy/compose.yaml config` from the checkout, with only the given POSTGRES_PASSWORD (if any). */
function composeConfig(
  command: string[],
  password: string | undefined,
): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The project name must come from deploy/.env, the password from the test alone.
  delete env.COMPOSE_PROJECT_NAME;
  delete env.POSTGRES_PASSWORD;
  if (password !== undefined) env.POSTGRES_PASSWORD = password;
  const out = spawnSync(command[0]!, [...command.slice(1), '-f', 'deploy/compose.yaml', 'config'], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
  });
  return { status: out.status, stdout: out.stdout, stderr: out.stderr };
}

const composeCommand = installedCompose();
if (!composeCommand)
  process.stdout.write(
    'skipping deploy/compose.yaml through Compose: neither docker compose nor docker-compose is installed\n',
  );

describe.skipIf(!composeCommand)('deploy/compose.yaml, as Compose resolves it', () => {
  it('is valid, and resolves to the services, commands and healthcheck the tests above run', () => {
    const password = 'composeTest1';
    const out = composeConfig(composeCommand!, password);
    expect(out.status, out.stderr).toBe(0);
    type Resolved = {
      command?: string[];
      environment?: Record<string, string>;
      healthcheck?: {
        test?: string[];
        disable?: boolean;
        interval?: string;
        timeout?: string;
        start_period?: string;
        retries?: number;
      };
    };
    const resolved = parseYaml(out.stdout) as { name?: string; services: Record<string, Resolved> };
    // Compose v2 prints the project name; v1 does not, but reads the same deploy/.env.
    if (resolved.name !== undefined) expect(resolved.name).toBe('candlekeep');
    const { serve, postgres } = resolved.services;
    expect(Object.keys(resolved.services).sort()).toEqual([...COLLECTORS, 'postgres', 'serve']);
    for (const name of COLLECTORS) {
      const c = resolved.services[name]!;
      expect(c.command).toEqual(compose.services[name]!.command);
      // v2 keeps `disable: true`; v1 writes its equivalent, the test NONE.
      expect(c.healthcheck?.disable === true || c.healthcheck?.test?.[0] === 'NONE').toBe(true);
      expect(c.environment?.CANDLEKEEP_DATABASE_URL).toBe(`postgres://candlekeep:${password}@postgres:5432/candlekeep`);
    }
    expect(serve?.command).toEqual([...imageCmd, '--no-engine']);
    expect(serve?.healthcheck).toEqual({ test: ['CMD', ...healthcheck], ...healthcheckTiming });
    expect(serve?.environment?.CANDLEKEEP_DATABASE_URL).toBe(
      `postgres://candlekeep:${password}@postgres:5432/candlekeep`,
    );
    expect(postgres?.environment?.POSTGRES_PASSWORD).toBe(password);
  });

  it('refuses to resolve without POSTGRES_PASSWORD, saying which variable to set', () => {
    const out = composeConfig(composeCommand!, undefined);
    expect(out.status).not.toBe(0);
    expect(out.stderr).toMatch(/POSTGRES_PASSWORD.*: set POSTGRES_PASSWORD/);
    expect(out.stdout).toBe('');
  });
});

/** The Compose linter on a compose file, with the project's rules: its schema check is the Compose Specification's. */
function composeLint(file: string): { status: number | null; output: string } {
  const out = spawnSync(
    path.join(ROOT, 'node_modules/.bin/dclint'),
    ['-c', 'deploy/dclint.yaml', '--max-warnings', '0', '--color', 'false', file],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return { status: out.status, output: out.stdout + out.stderr };
}

describe('deploy/compose.yaml, against the Compose Specification (the schema Compose v2 validates with)', () => {
  it('is valid, with no warning', () => {
    const out = composeLint('deploy/compose.yaml');
    expect(out.output).not.toMatch(/error|warning/);
    expect(out.status, out.output).toBe(0);
  });

  it('a copy with a misspelt key is refused, naming the service', () => {
    const text = fs.readFileSync(path.join(ROOT, 'deploy/compose.yaml'), 'utf8');
    const misspelt = text.replace('stop_grace_period:', 'stop_grace_periode:');
    expect(misspelt).not.toBe(text);
    const file = path.join(dir.dir, 'misspelt-compose.yaml');
    fs.writeFileSync(file, misspelt);
    const out = composeLint(file);
    expect(out.status).not.toBe(0);
    expect(out.output).toMatch(/services\/collector-a.*must NOT have additional properties/);
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
