/**
 * Reading the entries of a downloaded zip with fflate's asynchronous unzip, which inflates in a
 * worker thread: a month of 1m CSV is ~6 MB, and inflating it on the event loop would hold the other
 * downloads and commits for ~0.1 s per file. (fflate's streaming Unzip is not used: it finds entries
 * by scanning local headers, which misreads zips whose entries carry data descriptors.)
 */
import { unzip } from 'fflate';

export interface ZipEntry {
  name: string;
  bytes: Uint8Array;
}

/** Every file in `zip`, decompressed; rejects on a zip that cannot be read. */
export function unzipEntries(zip: Uint8Array): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    try {
      unzip(zip, (err, files) => (err ? reject(err) : resolve(Object.entries(files).map(([name, bytes]) => ({ name, bytes })))));
    } catch (err) {
      reject(err as Error);
    }
  });
}
