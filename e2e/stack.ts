/**
 * A whole Candlekeep for a browser spec: the exchange simulator, optionally a database backfilled from
 * it, and `candlekeep serve` whose engine talks to the simulator. Everything lives in a temp folder
 * (CANDLEKEEP_HOME too, so API keys set by a spec never touch the user's own).
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from '@playwright/test';
import { runCli, startCli, stop, tempDir } from './helpers.js';

export interface Stack {
  simUrl: string;
  serverUrl: string;
  db: string;
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export const MINUTE = 60_000;
export const DAY = 86_400_000;

/** Now, floored to the minute: ranges that line up with 1m candles. */
export function minuteNow(): number {
  return Math.floor(Date.now() / MINUTE) * MINUTE;
}

export async function startStack(options: { seed?: number; backfill?: { symbol: string; timeframe: string; from: number; to: number }; prepare?: (db: string) => void } = {}): Promise<Stack> {
  const sim = await startCli(['sim', '--port', '0', '--seed', String(options.seed ?? 5)]);
  const dir = tempDir();
  const db = path.join(dir, 'candlekeep.db');
  const env = { CANDLEKEEP_BINANCE_URL: `${sim.url}/binance`, CANDLEKEEP_HOME: dir };
  let server: ChildProcess | undefined;
  try {
    if (options.backfill) {
      const b = options.backfill;
      const args = ['backfill', '--source', 'binance', '--symbol', b.symbol, '--timeframe', b.timeframe, '--from', new Date(b.from).toISOString(), '--to', new Date(b.to).toISOString(), '--db', db, '--json'];
      const done = await runCli(args, env);
      expect(done.code, done.stderr).toBe(0);
    }
    options.prepare?.(db);
    const serve = await startCli(['serve', '--port', '0', '--db', db], env);
    server = serve.child;
    return {
      simUrl: sim.url,
      serverUrl: serve.url,
      db,
      env,
      close: async () => {
        await stop(server);
        await stop(sim.child);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await stop(server);
    await stop(sim.child);
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** The simulator's control API (see electron/simulator/control-routes.ts). */
export async function simControl(simUrl: string, route: 'faults' | 'outage', body: unknown): Promise<void> {
  const res = await fetch(`${simUrl}/_sim/${route}`, { method: 'POST', body: JSON.stringify(body) });
  expect(res.ok, await res.text()).toBe(true);
}

/**
 * Take candles out of a stored range and record it as an open hole, as if a repair had failed; by
 * default its next retry is a day away, so the gap map shows it red until the user backfills it.
 */
export function punchOpenHole(db: string, symbol: string, from: number, to: number, nextAttempt = Date.now() + DAY): number {
  const sqlite = new Database(db);
  try {
    const series = sqlite.prepare('SELECT id FROM series WHERE symbol = ?').get(symbol) as { id: number };
    const removed = sqlite.prepare('DELETE FROM candles WHERE series_id = ? AND ts >= ? AND ts < ?').run(series.id, from, to).changes;
    sqlite
      .prepare(
        `INSERT INTO holes (series_id, from_ts, to_ts, state, cause, attempts, next_attempt_ts, last_error, detected_at, updated_at)
         VALUES (?, ?, ?, 'open', 'fetch_failed', 3, ?, 'HTTP 503 from the source', ?, ?)`,
      )
      .run(series.id, from, to, nextAttempt, Date.now(), Date.now());
    return removed;
  } finally {
    sqlite.close();
  }
}
