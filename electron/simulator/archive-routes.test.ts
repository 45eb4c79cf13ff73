import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { startSimulator, type Simulator } from './simulator.js';
import { ManualClock } from '../net/clock.js';
import { CsvWriter } from './archive-csv-writer.js';
import { klineRow } from './binance-routes.js';
import { VenueTruth } from './truth.js';
import { ASSETS } from './instruments.js';
import type { ListedDefect } from './archive-routes.js';
import type { Timeframe } from '../../shared/timeframe.js';

const NOW = Date.parse('2025-03-10T10:00:00Z');
const DAY = 86_400_000;

describe('the simulated Binance archive (data.binance.vision layout)', () => {
  let sim: Simulator;
  const clock = new ManualClock(NOW);
  const get = async (path: string): Promise<{ status: number; type: string | null; bytes: Buffer }> => {
    const res = await fetch(`${sim.url}/binance-data/${path}`);
    return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
  };
  const monthly = (month: string, interval = '1m', symbol = 'BTCUSDT'): string =>
    `data/spot/monthly/klines/${symbol}/${interval}/${symbol}-${interval}-${month}.zip`;
  const daily = (day: string, interval = '1m', symbol = 'BTCUSDT'): string =>
    `data/spot/daily/klines/${symbol}/${interval}/${symbol}-${interval}-${day}.zip`;
  const csvOf = (zip: Buffer): { name: string; lines: string[] } => {
    const entries = unzipSync(new Uint8Array(zip));
    const [name, bytes] = Object.entries(entries)[0]!;
    return { name, lines: Buffer.from(bytes).toString('latin1').split('\n').filter(Boolean) };
  };
  const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

  beforeAll(async () => {
    sim = await startSimulator({ seed: 7, clock });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('serves a month as a zip of one headerless 12-column CSV, with a sha256sum-format CHECKSUM', async () => {
    const checksum = await get(`${monthly('2024-01')}.CHECKSUM`);
    expect(checksum.status).toBe(200);
    const text = checksum.bytes.toString('latin1');
    expect(text).toMatch(/^[0-9a-f]{64} {2}BTCUSDT-1m-2024-01\.zip\n$/);
    const zip = await get(monthly('2024-01'));
    expect(zip.type).toBe('application/zip');
    expect(sha256(zip.bytes)).toBe(text.slice(0, 64));
    const { name, lines } = csvOf(zip.bytes);
    expect(name).toBe('BTCUSDT-1m-2024-01.csv');
    expect(lines[0]).toMatch(/^\d{13},/);
    expect(lines.filter((l) => l.split(',').length !== 12)).toEqual([]);
    const truth = sim.truth('binance', 'BTCUSDT').range('1m', Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1) - 1, 1e9, NOW);
    expect(lines).toHaveLength(truth.length);
  });

  it('holds exactly the rows the REST API serves for the same candles', async () => {
    const { lines } = csvOf((await get(monthly('2024-01'))).bytes);
    const res = await fetch(
      `${sim.url}/binance/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${Date.UTC(2024, 0, 1)}&limit=1000`,
    );
    const rest = (await res.json()) as unknown[][];
    expect(rest).toHaveLength(1000);
    expect(lines.slice(0, 1000)).toEqual(rest.map((row) => row.join(',')));
  });

  it('switches to microsecond timestamps for files from 2025-01-01 on', async () => {
    const before = csvOf((await get(daily('2024-12-31'))).bytes).lines[0]!.split(',');
    const after = csvOf((await get(daily('2025-01-01'))).bytes).lines[0]!.split(',');
    expect(before[0]).toBe(String(Date.UTC(2024, 11, 31)));
    expect(before[6]).toBe(String(Date.UTC(2024, 11, 31) + 59_999));
    expect(after[0]).toBe(String(Date.UTC(2025, 0, 1) * 1000));
    expect(after[6]).toBe(String(Date.UTC(2025, 0, 1) * 1000 + 59_999_999));
    const rest = (await (
      await fetch(
        `${sim.url}/binance/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${Date.UTC(2025, 0, 1)}&limit=1`,
      )
    ).json()) as unknown[][];
    expect(after.slice(1, 6)).toEqual(rest[0]!.slice(1, 6));
  });

  it('publishes a daily file the next day and a monthly file on the first Monday of the next month', async () => {
    const at = (iso: string): void => clock.set(Date.parse(iso));
    try {
      at('2024-09-01T12:00:00Z'); // a Sunday: August's monthly file is due on Monday 2 September
      expect((await get(monthly('2024-08'))).status).toBe(404);
      expect((await get(daily('2024-08-31'))).status).toBe(200);
      expect((await get(daily('2024-09-01'))).status).toBe(404);
      at('2024-09-02T00:00:00Z');
      expect((await get(monthly('2024-08'))).status).toBe(200);
    } finally {
      clock.set(NOW);
    }
  });

  it('names 1M files 1mo, has no daily files for 1w, 3d or 1mo, and nothing for unknown symbols', async () => {
    const month = csvOf((await get(monthly('2024-01', '1mo'))).bytes);
    expect(month.name).toBe('BTCUSDT-1mo-2024-01.csv');
    expect(month.lines).toHaveLength(1);
    expect((await get(monthly('2024-01', '1M'))).status).toBe(404);
    expect((await get(daily('2024-01-01', '1w'))).status).toBe(404);
    expect((await get(daily('2024-01-01', '1mo'))).status).toBe(404);
    const unknown = await get(monthly('2024-01', '1m', 'NOPEUSDT'));
    expect(unknown.status).toBe(404);
    expect(unknown.bytes.toString()).toContain('<Code>NoSuchKey</Code>');
    expect((await get(monthly('2017-06'))).status).toBe(404); // before BTCUSDT's listing
  });

  it('lists its deliberately defective files on the control API: missing ones 404, corrupt ones fail the checksum', async () => {
    const res = await fetch(
      `${sim.url}/_sim/archive/defects?symbol=BTCUSDT&interval=1m&start=${Date.UTC(2022, 0, 1)}&end=${Date.UTC(2025, 0, 1)}`,
    );
    const defects = (await res.json()) as ListedDefect[];
    const missing = defects.find((d) => d.defect === 'missing')!;
    const corrupt = defects.find((d) => d.defect === 'corrupt')!;
    expect(missing && corrupt).toBeTruthy();
    expect((await get(missing.path)).status).toBe(404);
    expect((await get(`${missing.path}.CHECKSUM`)).status).toBe(404);
    const sum = (await get(`${corrupt.path}.CHECKSUM`)).bytes.toString('latin1').slice(0, 64);
    expect(sha256((await get(corrupt.path)).bytes)).not.toBe(sum);
    // The same list on every run: the places are a pure function of the seed.
    const again = (await (
      await fetch(
        `${sim.url}/_sim/archive/defects?symbol=BTCUSDT&interval=1m&start=${Date.UTC(2022, 0, 1)}&end=${Date.UTC(2025, 0, 1)}`,
      )
    ).json()) as ListedDefect[];
    expect(again).toEqual(defects);
  });

  it('lets a test force a defect on any file, and lift it', async () => {
    const force = (defect: string | null): Promise<Response> =>
      fetch(`${sim.url}/_sim/archive/defects`, {
        method: 'POST',
        body: JSON.stringify({ path: monthly('2023-05'), defect }),
      });
    const sound = await get(monthly('2023-05'));
    await force('corrupt');
    expect(sha256((await get(monthly('2023-05'))).bytes)).not.toBe(sha256(sound.bytes));
    await force('missing');
    expect((await get(monthly('2023-05'))).status).toBe(404);
    await force('default');
    expect(sha256((await get(monthly('2023-05'))).bytes)).toBe(sha256(sound.bytes));
  });
});

describe('archive rows', () => {
  it('are the REST rows without brackets and quotes, for every asset and a range of timeframes', () => {
    const tfs: Timeframe[] = ['1m', '15m', '1h', '1d', '1w', '1M'];
    for (const asset of ASSETS.filter((a) => a.binance)) {
      const truth = new VenueTruth(3, 'binance', asset);
      for (const tf of tfs) {
        const from = Math.max(asset.listedAt, Date.UTC(2024, 0, 1));
        const candles = truth.range(tf, from, from + 40 * DAY, 30, from + 400 * DAY);
        const writer = new CsvWriter(candles.length);
        for (const c of candles) writer.row(c, tf, truth.priceDecimals, false);
        const expected = candles
          .map((c) => `${klineRow(c, tf, truth.priceDecimals).slice(1, -1).replaceAll('"', '')}\n`)
          .join('');
        expect(writer.bytes.toString('latin1')).toBe(expected);
      }
    }
  });
});
