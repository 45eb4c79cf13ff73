/** A backfill's kline pages read on the worker thread are exactly the pages the strict parser reads. */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { rawText } from '../store/rejected-store.js';
import { KlinePageParser } from './kline-pages.js';
import { parseKlineRows } from './binance-wire.js';

const row = (i: number, open: string): string =>
  `[${1_672_531_200_000 + i * 60_000},"${open}","16545.70000000","16508.39000000","16529.${String(i % 100).padStart(2, '0')}000000","127.86057000",${1_672_531_200_000 + i * 60_000 + 59_999},"2112906.96002050",3932,"72.23474000","1194069.22009700","0"]`;
const page = (rows: string[]): Buffer => Buffer.from(`[${rows.join(',')}]`);
const thousandRows = Array.from({ length: 1000 }, (_, i) => row(i, `16541.${String(i).padStart(3, '0')}00000`));

const parser = new KlinePageParser();
afterAll(() => parser.close());

describe('kline pages on the worker thread', () => {
  it('a 1,000-row page: the same candles, close times and raw rows as the strict parser', async () => {
    const bytes = page(thousandRows);
    const strict = parseKlineRows(bytes);
    const read = await parser.parse(bytes);
    expect(read.candles).toStrictEqual(strict.candles);
    expect(read.closeTimes).toStrictEqual(strict.closeTimes);
    expect(read.rows.map(rawText)).toStrictEqual(strict.rows.map(rawText));
  });

  it('a big page out of the compact form (a non-finite price, spaces) reads as the strict parser reads it', async () => {
    const odd = [...thousandRows];
    odd[500] = odd[500]!.replace('"16541.500', '"NaN').replace(',"16545.70000000"', ', "16545.70000000"');
    const bytes = page(odd);
    const read = await parser.parse(bytes);
    expect(Number.isNaN(read.candles[500]!.open)).toBe(true);
    expect(read.candles).toEqual(parseKlineRows(bytes).candles);
  });

  it('a big malformed page fails as malformed, whichever thread read it', async () => {
    const bytes = page([...thousandRows.slice(0, 999), '[1,2]']);
    await expect(parser.parse(bytes)).rejects.toMatchObject({
      kind: 'malformed',
      message: expect.stringContaining('row 999 is not a 12-field array'),
    });
  });

  it('pages in flight when the worker dies are read on this thread', async () => {
    const pages = [page(thousandRows), page(thousandRows.slice(1))];
    const reading = pages.map((p) => parser.parse(p));
    await parser.close();
    const read = await Promise.all(reading);
    expect(read.map((p) => p.candles.length)).toEqual([1000, 999]);
    expect(read[1]!.candles).toStrictEqual(parseKlineRows(pages[1]!).candles);
  });
});

describe('the parser thread started ahead of its work', () => {
  it('does not keep a process from exiting when no page ever comes (a backfill whose hosts are all down)', async () => {
    // A process of its own: whether it exits is the question. Booted as `expect` does, then nothing.
    const script = `import { KlinePageParser } from ${JSON.stringify(new URL('./kline-pages.ts', import.meta.url).href)};
      new KlinePageParser().expect(1000);
      setTimeout(() => process.stdout.write('booted'), 500);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = await Promise.race([
      new Promise<boolean>((resolve) => child.once('exit', () => resolve(true))),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20_000)),
    ]);
    if (!exited) child.kill('SIGKILL');
    expect(out).toBe('booted');
    expect(exited).toBe(true);
  }, 30_000);
});
