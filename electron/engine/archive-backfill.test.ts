import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import type { ListedDefect } from '../simulator/archive-routes.js';
import { ManualClock } from '../net/clock.js';
import { Store } from '../store/store.js';
import { BinanceSource } from '../sources/binance.js';
import { BinanceArchiveClient, type ArchiveOutcome } from '../sources/binance-archive.js';
import { PACKED_FIELDS, PackedCandles } from '../sources/packed-candles.js';
import type { ArchivePeriod } from '../sources/binance-archive-layout.js';
import { bulkHistoryFor } from './bulk-registry.js';
import { Network } from '../net/network.js';
import { backfill } from './backfill.js';
import { DEFAULT_EVIDENCE } from './evidence.js';
import { ArchiveBackfill } from './archive-backfill.js';
import { tempDbPath } from '../test-support/temp-db.js';
import { truthCandles } from '../test-support/truth.js';
import { expectSameCandles } from '../test-support/same-candles.js';
import type { LoggedRequest } from '../simulator/request-log.js';

const NOW = Date.parse('2025-02-05T10:00:00Z');
/** December 2024 (ms timestamps) and January 2025 (µs) monthly, then February's days. */
const FROM = Date.UTC(2024, 11, 1);
const key = { source: 'binance', symbol: 'BTCUSDT', timeframe: '1m' as const };

describe('backfill from Binance archives', () => {
  let sim: Simulator;
  let store: Store;
  let cleanup: () => void;
  const clock = new ManualClock(NOW);
  let source: BinanceSource;

  beforeEach(async () => {
    clock.set(NOW);
    sim = await startSimulator({ seed: 7, clock });
    const db = tempDbPath();
    cleanup = db.cleanup;
    store = Store.open(db.file);
    source = new BinanceSource({ hosts: [`${sim.url}/binance`], clock, network: new Network(clock) });
    // Natural defects are tested below with the control API's list; here every file starts sound.
    for (const d of sim.archive.defects('BTCUSDT', '1m', FROM, NOW)) sim.archive.force(d.path, null);
  });
  afterEach(async () => {
    store.close();
    cleanup();
    await sim.close();
  });

  /** The same backfill after the second-look delay (the clock moves; the range still ends at NOW). */
  const lookAgain = async (archives: ArchiveBackfill, from: number) => {
    clock.set(NOW + DEFAULT_EVIDENCE.secondLookAfterMs);
    return backfill({ store, source, clock, bulk: archives }, { key, from, to: NOW });
  };
  const bulk = (): ArchiveBackfill =>
    bulkHistoryFor(source, { store, clock, env: { CANDLEKEEP_BINANCE_DATA_URL: `${sim.url}/binance-data` } })!;
  const klines = (): LoggedRequest[] => sim.log.since().filter((e) => e.path.endsWith('/api/v3/klines'));
  const archiveGets = (): LoggedRequest[] => sim.log.since().filter((e) => e.path.startsWith('/binance-data/'));
  const inDec2024 = (e: LoggedRequest): boolean =>
    Number(e.query.startTime) >= Date.UTC(2024, 11, 1) && Number(e.query.startTime) < Date.UTC(2025, 0, 1);

  it('takes whole months and days from archives and only the last day and a half over REST, storing exactly the truth', async () => {
    const archives = bulk();
    const summary = await backfill({ store, source, clock, bulk: archives }, { key, from: FROM, to: NOW });

    expectSameCandles(store.candles.range(summary.seriesId, FROM, NOW), truthCandles(sim, 'BTCUSDT', FROM, NOW));
    const plan = archives.lastReport!.plan;
    expect(plan.archives.map((a) => a.period.label)).toEqual([
      '2024-12',
      '2025-01',
      '2025-02-01',
      '2025-02-02',
      '2025-02-03',
    ]);
    expect(archives.lastReport!.imported).toHaveLength(5);
    expect(archives.lastReport!.crossCheck).toMatchObject({
      compared: expect.any(Number),
      differing: 0,
      trusted: true,
    });
    expect(archiveGets()).toHaveLength(10); // CHECKSUM + zip per file

    // REST was asked only for the tail, the overlap day and second looks at maintenance holes.
    const holes = sim.truth('binance', 'BTCUSDT').emptyWindows(FROM, NOW);
    const allowed = [{ from: plan.overlap!.from, to: NOW }, ...holes];
    const outside = klines().filter(
      (e) => !allowed.some((r) => Number(e.query.startTime) >= r.from && Number(e.query.endTime) < r.to),
    );
    expect(outside).toEqual([]);
    expect(klines().length).toBeLessThanOrEqual(plan.restRequests + holes.length);
    expect(summary.requests).toBe(klines().length);
    // The archives are the first look at the venue's holes; a later look aimed at each settles them.
    expect(summary.holes).toEqual(
      holes.map((w) => ({ fromTs: w.from, toTs: w.to, state: 'open', cause: 'source_gap' })),
    );
    const again = await lookAgain(archives, FROM);
    expect(again.holes).toEqual(
      holes.map((w) => ({ fromTs: w.from, toTs: w.to, state: 'confirmed_empty', cause: 'source_gap' })),
    );
  });

  it('fetches a corrupt month and a missing day over REST instead, and says so', async () => {
    const force = (path: string, defect: string): Promise<Response> =>
      fetch(`${sim.url}/_sim/archive/defects`, { method: 'POST', body: JSON.stringify({ path, defect }) });
    await force('data/spot/monthly/klines/BTCUSDT/1m/BTCUSDT-1m-2024-12.zip', 'corrupt');
    await force('data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2025-02-02.zip', 'missing');
    const archives = bulk();
    const summary = await backfill({ store, source, clock, bulk: archives }, { key, from: FROM, to: NOW });

    expectSameCandles(store.candles.range(summary.seriesId, FROM, NOW), truthCandles(sim, 'BTCUSDT', FROM, NOW));
    expect(archives.lastReport!.fellBack.map((f) => [f.file, f.status])).toEqual([
      ['BTCUSDT-1m-2024-12.zip', 'corrupt'],
      ['BTCUSDT-1m-2025-02-02.zip', 'missing'],
    ]);
    // The corrupt zip was downloaded twice (a broken transfer would have healed), then December came over REST.
    expect(archiveGets().filter((e) => e.path.endsWith('2024-12.zip'))).toHaveLength(2);
    expect(klines().filter(inDec2024).length).toBeGreaterThanOrEqual(45);
    const alerts = store.events.list({ kinds: ['job'] }).map((e) => `${e.severity}: ${e.message}`);
    expect(
      alerts.some((m) =>
        /^warning: BTCUSDT-1m-2024-12\.zip failed its check: 2024-12 comes over REST instead \(.*sha256/.test(m),
      ),
    ).toBe(true);
    expect(
      alerts.some((m) => /^info: BTCUSDT-1m-2025-02-02\.zip is missing: 2025-02-02 comes over REST instead/.test(m)),
    ).toBe(true);
  });

  it('falls back at the defective files the control API lists', async () => {
    const res = await fetch(
      `${sim.url}/_sim/archive/defects?symbol=BTCUSDT&interval=1m&start=${Date.UTC(2023, 0, 1)}&end=${Date.UTC(2024, 0, 1)}`,
    );
    const daily = ((await res.json()) as ListedDefect[]).filter((d) => d.granularity === 'daily');
    const missing = daily.find((d) => d.defect === 'missing')!;
    const corrupt = daily.find((d) => d.defect === 'corrupt')!;
    const archives = bulk();
    for (const d of [missing, corrupt]) {
      // Three days around the defective one: daily files, the middle one fetched over REST.
      const from = d.from - 86_400_000;
      const summary = await backfill(
        { store, source, clock, bulk: archives },
        { key, from, to: from + 3 * 86_400_000 },
      );
      expectSameCandles(
        store.candles.range(summary.seriesId, from, from + 3 * 86_400_000),
        truthCandles(sim, 'BTCUSDT', from, from + 3 * 86_400_000),
      );
      expect(archives.lastReport!.fellBack.map((f) => f.status)).toEqual([d.defect]);
      expect(archives.lastReport!.imported).toHaveLength(2);
    }
  });

  it('uses no archive at all when the newest one disagrees with REST, and raises an alert', async () => {
    class SkewedArchive extends BinanceArchiveClient {
      override async fetch(period: ArchivePeriod, signal?: AbortSignal): Promise<ArchiveOutcome> {
        const outcome = await super.fetch(period, signal);
        if (outcome.status !== 'ok') return outcome;
        const shifted = outcome.rows.data.slice(outcome.rows.offset(0), outcome.rows.offset(outcome.rows.length));
        for (let o = 0; o < shifted.length; o += PACKED_FIELDS) shifted[o]! += 60_000;
        return { ...outcome, rows: new PackedCandles(shifted) };
      }
    }
    const client = new SkewedArchive({ baseUrl: `${sim.url}/binance-data`, clock });
    const archives = new ArchiveBackfill({ store, clock, source, client });
    const from = Date.UTC(2025, 1, 1);
    const summary = await backfill({ store, source, clock, bulk: archives }, { key, from, to: NOW });

    expectSameCandles(store.candles.range(summary.seriesId, from, NOW), truthCandles(sim, 'BTCUSDT', from, NOW));
    expect(archives.lastReport!.crossCheck!.trusted).toBe(false);
    expect(archives.lastReport!.imported).toEqual([]);
    expect(archiveGets()).toHaveLength(2); // only the newest file, to compare
    expect(store.events.list({ severity: 'error' })[0]!.message).toMatch(
      /^Binance archives disagree with REST on \d+ of \d+ candles .*: archives not used/,
    );
  });

  it('quarantines a candle of a sound archive that breaks a rule, and fetches its minute over REST', async () => {
    const bad = Date.UTC(2024, 11, 14, 3, 7);
    class ArchiveWithBadRow extends BinanceArchiveClient {
      override async fetch(period: ArchivePeriod, signal?: AbortSignal): Promise<ArchiveOutcome> {
        const outcome = await super.fetch(period, signal);
        if (outcome.status !== 'ok' || bad < period.from || bad >= period.to) return outcome;
        // The venue's file, checksum and all, with one candle whose high is below its open.
        const data = outcome.rows.data.slice();
        const o = outcome.rows.within({ from: bad, to: bad + 1 }).offset(0);
        data[o + 2] = data[o + 1]! / 2;
        return { ...outcome, rows: new PackedCandles(data) };
      }
    }
    const client = new ArchiveWithBadRow({ baseUrl: `${sim.url}/binance-data`, clock });
    const archives = new ArchiveBackfill({ store, clock, source, client });
    const summary = await backfill({ store, source, clock, bulk: archives }, { key, from: FROM, to: NOW });

    expect(archives.lastReport!.imported).toContain('BTCUSDT-1m-2024-12.zip');
    const rejected = store.rejected.list(summary.seriesId);
    expect(rejected.map((r) => [r.ts, r.reason])).toEqual([[bad, 'high_below_max']]);
    expect(store.holes.list(summary.seriesId).find((h) => h.cause === 'rejected')).toMatchObject({
      fromTs: bad,
      state: 'open',
    });
    await lookAgain(archives, FROM);
    expectSameCandles(store.candles.range(summary.seriesId, FROM, NOW), truthCandles(sim, 'BTCUSDT', FROM, NOW));
    expect(
      klines().filter((e) => Number(e.query.startTime) <= bad && bad < Number(e.query.endTime ?? Infinity)),
    ).not.toHaveLength(0);
  });

  it('goes over REST alone, after one try, when the archive host cannot be reached', async () => {
    const client = new BinanceArchiveClient({
      baseUrl: 'http://127.0.0.1:9/binance-data',
      clock,
      retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxTotalMs: 0 },
    });
    const archives = new ArchiveBackfill({ store, clock, source, client });
    const from = Date.UTC(2025, 0, 20);
    const summary = await backfill({ store, source, clock, bulk: archives }, { key, from, to: NOW });
    expectSameCandles(store.candles.range(summary.seriesId, from, NOW), truthCandles(sim, 'BTCUSDT', from, NOW));
    expect(archives.lastReport!.imported).toEqual([]);
    expect(archives.lastReport!.fellBack.every((f) => f.status === 'unavailable')).toBe(true);
    expect(store.events.list({ kinds: ['job'] })).toHaveLength(1);
  });

  it('sends nothing to either host when run again once its holes are settled', async () => {
    await backfill({ store, source, clock, bulk: bulk() }, { key, from: Date.UTC(2025, 0, 25), to: NOW });
    await lookAgain(bulk(), Date.UTC(2025, 0, 25));
    const before = sim.log.since().length;
    const again = await backfill({ store, source, clock, bulk: bulk() }, { key, from: Date.UTC(2025, 0, 25), to: NOW });
    expect(again).toMatchObject({ candlesStored: 0, requests: 0 });
    expect(sim.log.since().length).toBe(before);
  });
});
