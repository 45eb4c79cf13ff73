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

export interface StackBackfill {
  symbol: string;
  timeframe: string;
  from: number;
  to: number;
}

export interface StackOptions {
  seed?: number;
  /** Series backfilled from the simulator before `serve` starts, in this order. */
  backfill?: StackBackfill | StackBackfill[];
  /** Runs before the backfill: set faults or edits on the simulator that the backfill must meet. */
  beforeBackfill?: (simUrl: string) => Promise<void>;
  /** Changes the database before `serve` opens it. */
  prepare?: (db: string) => void;
  /** More options for `serve` (e.g. --require-token). */
  serveArgs?: string[];
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const sim = await startCli(['sim', '--port', '0', '--seed', String(options.seed ?? 5)]);
  const dir = tempDir();
  const db = path.join(dir, 'candlekeep.db');
  const env = { CANDLEKEEP_BINANCE_URL: `${sim.url}/binance`, CANDLEKEEP_HOME: dir };
  let server: ChildProcess | undefined;
  try {
    await options.beforeBackfill?.(sim.url);
    for (const b of [options.backfill ?? []].flat()) {
      const args = [
        'backfill',
        '--source',
        'binance',
        '--symbol',
        b.symbol,
        '--timeframe',
        b.timeframe,
        '--from',
        new Date(b.from).toISOString(),
        '--to',
        new Date(b.to).toISOString(),
        '--db',
        db,
        '--json',
      ];
      const done = await runCli(args, env);
      expect(done.code, done.stderr).toBe(0);
    }
    options.prepare?.(db);
    const serve = await startCli(['serve', '--port', '0', '--db', db, ...(options.serveArgs ?? [])], env);
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
export async function simControl(simUrl: string, route: 'faults' | 'outage' | 'revise', body: unknown): Promise<void> {
  const res = await fetch(`${simUrl}/_sim/${route}`, { method: 'POST', body: JSON.stringify(body) });
  expect(res.ok, await res.text()).toBe(true);
}

/**
 * Take candles out of a stored range and record it as an open hole, as if a repair had failed; by
 * default its next retry is a day away, so the gap map shows it red until the user backfills it.
 */
export function punchOpenHole(
  db: string,
  symbol: string,
  from: number,
  to: number,
  nextAttempt = Date.now() + DAY,
): number {
  const sqlite = new Database(db);
  try {
    const series = sqlite.prepare('SELECT id FROM series WHERE symbol = ?').get(symbol) as { id: number };
    const removed = sqlite
      .prepare('DELETE FROM candles WHERE series_id = ? AND ts >= ? AND ts < ?')
      .run(series.id, from, to).changes;
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

/**
 * Record that the source revised a stored candle after it closed, as the engine's second look does
 * (electron/engine/revisions.ts: a 'revision' event with both versions; the stored one is the new
 * one). A real second look waits ten minutes after the close, too long for a spec.
 */
export type CandleRow = Record<'ts' | 'open' | 'high' | 'low' | 'close' | 'volume', number>;

export function recordRevision(
  db: string,
  symbol: string,
  timeframe: string,
  ts: number,
  earlier: (stored: CandleRow) => Partial<CandleRow>,
): void {
  const sqlite = new Database(db);
  try {
    const series = sqlite
      .prepare('SELECT id, source FROM series WHERE symbol = ? AND timeframe = ?')
      .get(symbol, timeframe) as { id: number; source: string };
    const after = sqlite
      .prepare('SELECT ts, open, high, low, close, volume FROM candles WHERE series_id = ? AND ts = ?')
      .get(series.id, ts) as CandleRow;
    const changed = earlier(after);
    const old: CandleRow = { ...after, ...changed };
    const changes = (Object.keys(changed) as Array<keyof CandleRow>)
      .map((f) => `${f} ${old[f]} -> ${after[f]}`)
      .join(', ');
    sqlite
      .prepare(
        `INSERT INTO events (at, kind, severity, series_id, source, message, data) VALUES (?, 'revision', 'warning', ?, ?, ?, ?)`,
      )
      .run(
        Date.now(),
        series.id,
        series.source,
        `${series.source} revised ${symbol} ${timeframe} at ${new Date(ts).toISOString()} after it closed: ${changes}; the new version is stored`,
        JSON.stringify({ ts, before: old, after }),
      );
  } finally {
    sqlite.close();
  }
}
