/** `candlekeep history` in-process against a real database file: the SLOs, one source's buckets, bad input. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { captureIo } from '../../test-support/cli-io.js';
import { tempDbPath } from '../../test-support/temp-db.js';
import { Store } from '../../store/store.js';
import type { RequestOutcome } from '../../net/source-http.js';
import type { HistoryOverview, SourceHistory } from '../../../shared/history.js';

const MIN = 60_000;

describe('candlekeep history', () => {
  let db: { file: string; cleanup: () => void };
  // This command has no engine: its "now" is the wall's, so the requests are placed against it.
  const minute = Math.floor(Date.now() / MIN) * MIN - 10 * MIN;

  beforeEach(() => {
    db = tempDbPath();
    const store = Store.open(db.file);
    const req = (at: number, outcome: RequestOutcome['outcome'], durationMs: number): RequestOutcome => ({
      source: 'binance',
      host: 'h1',
      at,
      durationMs,
      status: outcome === 'ok' ? 200 : 503,
      outcome,
      weight: 2,
      error: null,
    });
    for (let i = 0; i < 99; i++) store.requests.add(req(minute + i, 'ok', 40));
    store.requests.add(req(minute + 500, 'server_error', 4_000));
    store.close();
  });
  afterEach(() => db.cleanup());

  const history = async (...args: string[]) => {
    const { io, out, err } = captureIo({});
    const code = await main(['history', '--db', db.file, ...args], io);
    return { code, out: out(), err: err() };
  };

  it('shows the SLOs over 24 hours and 7 days against their targets', async () => {
    const json = await history('--json');
    expect(json.code).toBe(0);
    const o = JSON.parse(json.out) as HistoryOverview;
    expect(o.slo.windows['24h']).toMatchObject({
      apiSuccess: 0.99,
      requests: 100,
      responseMs: (99 * 40 + 4_000) / 100,
    });
    const text = await history();
    expect(text.out).toMatch(/^API success\s+99\.00%\s+99\.00%\s+≥ 99\.00%$/m);
    expect(text.out).toMatch(/^Average response\s+80 ms\s+80 ms\s+< 2000 ms$/m);
    // One slow request in a hundred is above the 95th percentile: p95 stays in the 25-50 ms bucket.
    expect(text.out).toMatch(/^binance\s+100\s+99\.00%\s+50 ms$/m);
  });

  it('shows one source per bucket: requests, success, latency and errors by kind', async () => {
    const { code, out } = await history('--source', 'binance', '--range', '1h', '--json');
    expect(code).toBe(0);
    const h = JSON.parse(out) as SourceHistory;
    expect(h.buckets).toHaveLength(60);
    const busy = h.buckets.filter((b) => b.requests);
    expect(busy.map((b) => [b.at, b.requests, b.ok, b.errors, b.p50Ms, b.p95Ms])).toEqual([
      [minute, 100, 99, { server_error: 1 }, 50, 50],
    ]);
    expect((await history('--source', 'binance', '--range', '1h')).out).toContain('server_error 1');
  });

  it('refuses a range it does not know, naming the ones it does', async () => {
    const { code, err } = await history('--range', '2d');
    expect(code).toBe(2);
    expect(err.trim()).toBe("candlekeep history: --range '2d' is not a range: use 1h, 24h, 7d or 90d");
  });

  it('refuses a source it has no history for, naming those it has', async () => {
    const { code, err } = await history('--source', 'yahoo');
    expect(code).toBe(2);
    expect(err.trim()).toBe("candlekeep history: no history for source 'yahoo': sources with history are binance");
  });
});
