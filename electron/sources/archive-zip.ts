/**
 * Reading the entries of a downloaded zip: fflate walks the container, and deflated entries are
 * inflated by node's zlib on the libuv thread pool (a month of 1m CSV is ~6 MB; inflating it in
 * JS would hold the event loop, and with it the other downloads and commits, for ~0.1 s).
 */
import { promisify } from 'node:util';
import { inflateRaw } from 'node:zlib';
import { Unzip, type FlateError, type UnzipDecoder } from 'fflate';

const inflate = promisify(inflateRaw);

class NativeInflate implements UnzipDecoder {
  static readonly compression = 8;
  ondata: UnzipDecoder['ondata'] = () => undefined;
  private readonly parts: Uint8Array[] = [];

  push(chunk: Uint8Array, final: boolean): void {
    // fflate may reuse `chunk`'s memory after push returns: keep a copy.
    this.parts.push(chunk.slice());
    if (!final) return;
    inflate(Buffer.concat(this.parts)).then(
      (out) => this.ondata(null, new Uint8Array(out.buffer, out.byteOffset, out.length), true),
      (err: Error) => this.ondata(Object.assign(err, { code: 0 }) as FlateError, new Uint8Array(0), true),
    );
  }
}

export interface ZipEntry {
  name: string;
  bytes: Uint8Array;
}

/** Every file in `zip`, decompressed; rejects on a zip that cannot be read. */
export function unzipEntries(zip: Uint8Array): Promise<ZipEntry[]> {
  const pending: Array<Promise<ZipEntry>> = [];
  const reader = new Unzip((file) => {
    pending.push(
      new Promise<ZipEntry>((resolve, reject) => {
        const parts: Uint8Array[] = [];
        file.ondata = (err, data, final) => {
          if (err) return reject(err);
          parts.push(data);
          if (final) resolve({ name: file.name, bytes: parts.length === 1 ? parts[0]! : Buffer.concat(parts) });
        };
        file.start();
      }),
    );
  });
  reader.register(NativeInflate);
  try {
    reader.push(zip, true);
  } catch (err) {
    return Promise.reject(err as Error);
  }
  return Promise.all(pending);
}
