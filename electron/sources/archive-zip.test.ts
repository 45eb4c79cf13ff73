import { describe, expect, it } from 'vitest';
import { zipSync, strToU8 } from 'fflate';
import { unzipEntries, ZipFormatError } from './archive-zip.js';

const csv = 'x'.repeat(10_000) + '\n1,2,3\n'.repeat(5_000);

describe('unzipEntries', () => {
  it('reads deflated and stored entries of zips written by another library', async () => {
    for (const level of [0, 6] as const) {
      const zip = Buffer.from(zipSync({ 'a.csv': [strToU8(csv), { level }], 'b.txt': [strToU8('hello'), { level }] }));
      const entries = await unzipEntries(zip);
      expect(entries.map((e) => [e.name, Buffer.from(e.bytes).toString('latin1')])).toEqual([
        ['a.csv', csv],
        ['b.txt', 'hello'],
      ]);
    }
  });

  it('rejects a zip cut short, or not a zip at all', async () => {
    const zip = Buffer.from(zipSync({ 'a.csv': strToU8(csv) }));
    await expect(unzipEntries(zip.subarray(0, Math.floor(zip.length / 2)))).rejects.toBeInstanceOf(ZipFormatError);
    await expect(unzipEntries(Buffer.from('<Error><Code>NoSuchKey</Code></Error>'))).rejects.toThrow(
      /no end-of-central-directory/,
    );
  });
});
