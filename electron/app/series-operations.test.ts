/**
 * Adding a series has one set of checks, whichever front asks: the CLI and the API accept the same
 * series and refuse the same ones with the same reason (against the simulator, real databases).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { main } from '../cli/main.js';
import { captureIo } from '../test-support/cli-io.js';
import { tempDir } from '../test-support/temp-db.js';
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import { createRuntime, type Runtime } from '../runtime.js';
import { FileSecretStore } from '../secrets/file-secret-store.js';
import { dispatch } from '../server/api.js';
import { DESKTOP_CALLER } from '../server/caller.js';

const DAY = 86_400_000;
let sim: Simulator;
let runtime: Runtime;
const dir = tempDir();
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  sim = await startSimulator({ seed: 3 });
  env = {
    CANDLEKEEP_BINANCE_URL: `${sim.url}/binance`,
    CANDLEKEEP_COINGECKO_URL: `${sim.url}/coingecko/api/v3`,
    CANDLEKEEP_HOME: dir.dir,
  };
  runtime = createRuntime({
    dbPath: path.join(dir.dir, 'api.db'),
    env,
    shell: 'node',
    secrets: new FileSecretStore(path.join(dir.dir, 'keys.json')),
  });
});
afterAll(async () => {
  await runtime.close();
  await sim.close();
  dir.cleanup();
});

const cli = async (...args: string[]) => {
  const { io, out, err } = captureIo(env);
  const code = await main(['series', 'add', ...args, '--db', path.join(dir.dir, 'cli.db')], io);
  return { code, out: out(), err: err() };
};
const api = (args: Record<string, unknown>) => dispatch(runtime.handlers, 'series:add', args, DESKTOP_CALLER);

describe('adding a series', () => {
  const from = Date.now() - 20 * DAY;

  it("the README's CoinGecko example is accepted by the CLI and the API alike", async () => {
    const added = await cli(
      '--source',
      'coingecko',
      '--symbol',
      'bitcoin',
      '--vs',
      'usd',
      '--timeframe',
      '4h',
      '--from',
      new Date(from).toISOString(),
    );
    expect(added.code, added.err).toBe(0);
    expect(added.out).toMatch(/^added coingecko bitcoin\/usd 4h keeping from /);
    const answer = await api({ source: 'coingecko', symbol: 'bitcoin/usd', timeframe: '4h', from });
    expect(answer).toMatchObject({ result: { source: 'coingecko', symbol: 'bitcoin/usd', timeframe: '4h' } });
  });

  it('an instrument the source does not list is refused by both, with the same reason, and nothing is stored', async () => {
    const refused = await cli(
      '--source',
      'coingecko',
      '--symbol',
      'no-such-coin',
      '--timeframe',
      '4h',
      '--from',
      new Date(from).toISOString(),
    );
    expect(refused.code).toBe(2);
    expect(refused.err.trim()).toBe(
      "candlekeep series: coingecko has no instrument 'no-such-coin/usd': see 'candlekeep symbols --source coingecko --search no-'",
    );
    const answer = await api({ source: 'coingecko', symbol: 'no-such-coin/usd', timeframe: '4h', from });
    expect(answer).toEqual({
      error: {
        name: 'SourceError',
        message:
          "coingecko has no instrument 'no-such-coin/usd': see 'candlekeep symbols --source coingecko --search no-'",
      },
    });
    expect(runtime.store.series.list().some((s) => s.symbol === 'no-such-coin/usd')).toBe(false);
  });

  it('a backfill of a new instrument is checked the same way before anything is created', async () => {
    const answer = await dispatch(
      runtime.handlers,
      'backfill:start',
      { source: 'binance', symbol: 'NOPEUSDT', timeframe: '1h', from, to: Date.now() },
      DESKTOP_CALLER,
    );
    expect(answer).toEqual({
      error: {
        name: 'SourceError',
        message: "binance has no instrument 'NOPEUSDT': see 'candlekeep symbols --source binance --search NOP'",
      },
    });
    expect(runtime.store.series.list().some((s) => s.symbol === 'NOPEUSDT')).toBe(false);
  });
});
