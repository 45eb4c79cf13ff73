/**
 * Reading the entries of a downloaded (and checksum-verified) zip: the central directory gives each
 * entry's method, sizes and offset (APPNOTE.TXT 4.3), and deflated data is inflated by node's zlib on
 * the libuv thread pool. A month of 1m CSV is ~6 MB: inflating it in JavaScript, on the event loop or
 * in a fresh worker per file, costs several times more CPU. No ZIP64 (archives of kline CSVs stay far
 * below 4 GB); anything unexpected rejects, and the caller treats the file as corrupt.
 */
import { promisify } from 'node:util';
import { inflateRaw } from 'node:zlib';

const inflate = promisify(inflateRaw);

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

export interface ZipEntry {
  name: string;
  bytes: Uint8Array;
}

export class ZipFormatError extends Error {
  override name = 'ZipFormatError';
}

function endOfCentralDirectory(zip: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  throw new ZipFormatError('no end-of-central-directory record');
}

function entryAt(zip: Buffer, header: number): { entry: Promise<ZipEntry>; next: number } {
  if (zip.readUInt32LE(header) !== CENTRAL_FILE_HEADER) throw new ZipFormatError('broken central directory');
  const method = zip.readUInt16LE(header + 10);
  const compressedSize = zip.readUInt32LE(header + 20);
  const size = zip.readUInt32LE(header + 24);
  const nameLength = zip.readUInt16LE(header + 28);
  const next = header + 46 + nameLength + zip.readUInt16LE(header + 30) + zip.readUInt16LE(header + 32);
  const name = zip.toString('utf8', header + 46, header + 46 + nameLength);
  const local = zip.readUInt32LE(header + 42);
  if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL_FILE_HEADER)
    throw new ZipFormatError(`no local header for ${name}`);
  const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
  const data = zip.subarray(start, start + compressedSize);
  if (data.length !== compressedSize) throw new ZipFormatError(`${name} is cut short`);
  const read = async (): Promise<ZipEntry> => {
    const bytes = method === 0 ? data : method === 8 ? await inflate(data) : null;
    if (!bytes) throw new ZipFormatError(`${name} uses compression method ${method}`);
    if (bytes.length !== size) throw new ZipFormatError(`${name} inflates to ${bytes.length} bytes, not ${size}`);
    return { name, bytes };
  };
  return { entry: read(), next };
}

/** Every file in `zip`, decompressed; rejects with a ZipFormatError on a zip that cannot be read. */
export async function unzipEntries(zip: Buffer): Promise<ZipEntry[]> {
  try {
    const end = endOfCentralDirectory(zip);
    const count = zip.readUInt16LE(end + 10);
    let header = zip.readUInt32LE(end + 16);
    const entries: Array<Promise<ZipEntry>> = [];
    for (let i = 0; i < count; i++) {
      const { entry, next } = entryAt(zip, header);
      entry.catch(() => undefined); // observed by Promise.all below, even if a later entry throws first
      entries.push(entry);
      header = next;
    }
    return await Promise.all(entries);
  } catch (err) {
    if (err instanceof RangeError) throw new ZipFormatError(`the zip is cut short: ${err.message}`);
    throw err;
  }
}
