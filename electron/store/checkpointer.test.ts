/**
 * Background checkpoints, and holding them while bulk history is written: pages stay in the WAL
 * (the database file does not grow) until the hold is released, and then reach the file.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from './store.js';
import { tempDbPath } from '../test-support/temp-db.js';
import type { Candle } from '../../shared/domain.js';

const T = Date.UTC(2024, 0, 1);
const candles = (n: number, from = T): Candle[] =>
  Array.from({ length: n }, (_, i) => ({
    ts: from + i * 60_000,
    open: 100 + i,
    high: 102 + i,
    low: 99 + i,
    close: 101 + i,
    volume: 5,
  }));

describe('Checkpointer', () => {
  let store: Store | undefined;
  let cleanup: (() => void) | undefined;
  afterEach(() => {
    store?.close();
    cleanup?.();
    store = cleanup = undefined;
  });

  const open = (): { store: Store; file: string; write: (from: number) => void } => {
    const db = tempDbPath();
    cleanup = db.cleanup;
    store = Store.open(db.file, { backgroundCheckpoints: true });
    const s = store;
    const id = s.series.ensure({ source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' }, T, T).id;
    return {
      store: s,
      file: db.file,
      write: (from) => s.transaction(() => s.candles.upsert(id, candles(20_000, from))),
    };
  };
  const size = (file: string): number => fs.statSync(file).size;

  it('copies the WAL into the database file within a few seconds', async () => {
    const { file, write } = open();
    const before = size(file);
    write(T);
    await expect.poll(() => size(file), { timeout: 5_000 }).toBeGreaterThan(before + 500_000);
  });

  it('leaves the database file alone while held, by every holder, and catches up on release', async () => {
    const { store: s, file, write } = open();
    const before = size(file);
    const releaseA = s.holdCheckpoints();
    const releaseB = s.holdCheckpoints();
    write(T);
    await new Promise((r) => setTimeout(r, 2_500)); // past two checkpoint intervals
    expect(size(file)).toBe(before);
    releaseA();
    releaseA(); // a second call of the same release changes nothing
    write(T + 20_000 * 60_000);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(size(file)).toBe(before);
    releaseB();
    await expect.poll(() => size(file), { timeout: 5_000 }).toBeGreaterThan(before + 1_000_000);
  });
});
