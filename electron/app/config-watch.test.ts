/**
 * The config change log and its watch, on one real SQLite file opened twice (as two processes do):
 * what one connection changes, the other's watch hands to the right applier, once; what a
 * connection changed itself, or did not really change, costs it nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../store/store.js';
import { tempDbPath } from '../test-support/temp-db.js';
import { systemClock } from '../net/clock.js';
import { ConfigWatch } from './config-watch.js';
import { clearKey, setKey } from './settings-operations.js';
import { FileSecretStore } from '../secrets/file-secret-store.js';

let db: ReturnType<typeof tempDbPath>;
let here: Store;
let elsewhere: Store;
let applied: string[];
let errors: string[];
let watch: ConfigWatch;

beforeEach(() => {
  db = tempDbPath();
  here = Store.open(db.file);
  elsewhere = Store.open(db.file);
  applied = [];
  errors = [];
  watch = new ConfigWatch({
    store: here,
    clock: systemClock,
    onError: (err) => errors.push(err.message),
    apply: {
      series: (ids) => applied.push(`series ${ids.join(',')}`),
      settings: () => applied.push('settings'),
      keys: () => applied.push('keys'),
      tokens: () => applied.push('tokens'),
    },
  });
  watch.start();
});

afterEach(async () => {
  await watch.stop();
  here.close();
  elsewhere.close();
  db.cleanup();
});

const key = { source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' as const };

describe('config watch', () => {
  it('hands series added, paused, moved and removed elsewhere to the series applier, one poll each', () => {
    const series = elsewhere.series.ensure(key, 1_000, 1_000);
    expect(watch.poll()).toBe(1);
    elsewhere.series.setEnabled(series.id, false);
    elsewhere.series.ensure(key, 500, 2_000);
    expect(watch.poll()).toBe(2);
    elsewhere.series.remove(series.id);
    expect(watch.poll()).toBe(1);
    expect(applied).toEqual([`series ${series.id}`, `series ${series.id}`, `series ${series.id}`]);
    expect(watch.poll()).toBe(0);
  });

  it('records nothing for a write that changes nothing (a series added again, the same settings saved)', () => {
    elsewhere.series.ensure(key, 1_000, 1_000);
    elsewhere.settings.update({ sweepCron: '5 * * * *' }, 1_000);
    const latest = elsewhere.configChanges.latest();
    elsewhere.series.ensure(key, 2_000, 3_000);
    elsewhere.settings.update({ sweepCron: '5 * * * *' }, 4_000);
    expect(elsewhere.configChanges.latest()).toBe(latest);
  });

  it('hands settings, tokens and keys changed elsewhere to their appliers', () => {
    const secrets = new FileSecretStore(`${db.file}.keys.json`);
    elsewhere.settings.update({ sweepCron: '5 * * * *' }, 1_000);
    elsewhere.tokens.issue('ci', 'read', 1_000);
    setKey({ store: elsewhere, secrets }, 'coingecko.apiKey', 'CG-abcdefgh');
    expect(watch.poll()).toBe(3);
    expect(applied).toEqual(['settings', 'keys', 'tokens']);
    elsewhere.tokens.revoke('ci');
    expect(clearKey({ store: elsewhere, secrets }, 'coingecko.apiKey')).toBe(true);
    expect(clearKey({ store: elsewhere, secrets }, 'coingecko.apiKey')).toBe(false);
    expect(watch.poll()).toBe(2);
  });

  it('a token used for a request is not a change', () => {
    const token = elsewhere.tokens.issue('ci', 'read', 1_000);
    watch.poll();
    expect(elsewhere.tokens.verify(token, 10_000_000)).not.toBeNull();
    expect(watch.poll()).toBe(0);
  });

  it("skips its own connection's changes, which its process applied already", () => {
    here.series.ensure(key, 1_000, 1_000);
    here.settings.update({ sweepCron: '5 * * * *' }, 1_000);
    expect(watch.poll()).toBe(0);
    expect(applied).toEqual([]);
  });

  it('reloads everything when changes it never read were pruned (it slept past the log)', () => {
    const a = elsewhere.series.ensure(key, 1_000, 1_000);
    const b = elsewhere.series.ensure({ ...key, symbol: 'ETHUSDT' }, 1_000, 1_000);
    elsewhere.db.prepare('UPDATE config_changes SET at = 0').run();
    elsewhere.configChanges.prune(1);
    elsewhere.series.setEnabled(b.id, false);
    expect(watch.poll()).toBe(1);
    expect(applied).toEqual([`series ${b.id},${a.id}`, 'settings', 'keys', 'tokens']);
  });

  it('an applier that throws is reported, and the others still run', async () => {
    const failing = new ConfigWatch({
      store: here,
      clock: systemClock,
      onError: (err) => errors.push(err.message),
      apply: {
        series: () => {
          throw new Error('boom');
        },
        settings: () => applied.push('settings'),
        keys: () => undefined,
        tokens: () => undefined,
      },
    });
    failing.start();
    elsewhere.series.ensure(key, 1_000, 1_000);
    elsewhere.settings.update({ sweepCron: '5 * * * *' }, 1_000);
    expect(failing.poll()).toBe(2);
    expect(errors).toEqual(['boom']);
    expect(applied).toEqual(['settings']);
    await failing.stop();
  });
});
