/**
 * Archives read on the worker thread come back exactly as read on the main thread: the same
 * candles (every price bit for bit, through the packed transfer) and the same verdict on a broken
 * file. The zip is a real one, downloaded from the simulator over loopback HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipSync, strToU8 } from 'fflate';
import { startSimulator, type Simulator } from '../simulator/simulator.js';
import { getBytes } from './archive-http.js';
import { archiveName, archiveUrl, monthOf } from './binance-archive-layout.js';
import { inlineReader, WorkerArchiveReader } from './archive-reader.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 4 });
});
afterAll(async () => {
  await sim.close();
});

describe('WorkerArchiveReader', () => {
  const period = monthOf({ symbol: 'ETHUSDT', timeframe: '1m' }, Date.UTC(2024, 1, 10));
  const name = archiveName(period);

  it('reads a month of 1m candles on its worker exactly as the main thread does', async () => {
    const zip = await getBytes(archiveUrl(`${sim.url}/binance-data`, period), { timeoutMs: 30_000 });
    expect(zip.status).toBe(200);
    const here = await inlineReader.read(zip.body, period, name);
    const there = await new WorkerArchiveReader().read(zip.body, period, name);
    expect(here.status === 'ok' && here.rows.length).toBeGreaterThan(40_000); // a month, less the venue's maintenance
    expect(there).toStrictEqual(here);
  });

  it('gives the same verdict on a broken file: corrupt, with the line that broke it', async () => {
    const row = `${period.from},1.5,1.4,1.6,1.5,10,${period.from + 59_999},15,3,5,7,0`;
    const zip = Buffer.from(zipSync({ [`${name.replace('.zip', '.csv')}`]: strToU8(`${row}\n${row}\n`) }));
    const there = await new WorkerArchiveReader().read(zip, period, name);
    expect(there).toEqual({
      status: 'corrupt',
      detail: expect.stringMatching(/line 2: rows are not in ascending open-time order/),
    });
    expect(there).toStrictEqual(await inlineReader.read(zip, period, name));
  });
});
