/**
 * Downloading one Binance kline archive and proving it whole before anything is trusted: its
 * `.CHECKSUM` first (sha256sum format, "<hex>  <name>"), then the zip, whose sha256 must match
 * (a mismatch is downloaded once more, since a broken transfer heals and a broken file does not),
 * then the one CSV inside, parsed strictly. The outcome says what the caller can do: `ok` candles,
 * or `missing` / `corrupt` / `unavailable`, each meaning "get this period over REST instead".
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../net/clock.js';
import { NetworkError } from '../net/http-client.js';
import { withRetry, type RetryPolicy } from '../net/retry.js';
import { SourceError } from './source.js';
import { getBytes, type BytesResponse } from './archive-http.js';
import { archiveName, archiveUrl, type ArchivePeriod } from './binance-archive-layout.js';
import type { TimestampUnit } from './binance-archive-csv.js';
import { sharedArchiveReader, type ArchiveReader } from './archive-reader.js';
import type { PackedCandles } from './packed-candles.js';

export type ArchiveOutcome =
  | { status: 'ok'; rows: PackedCandles; unit: TimestampUnit | null; downloads: number }
  | { status: 'missing' | 'corrupt' | 'unavailable'; detail: string; downloads: number };

export interface ArchiveClientOptions {
  /** e.g. https://data.binance.vision, or the simulator's http://127.0.0.1:N/binance-data */
  baseUrl: string;
  clock: Clock;
  timeoutMs?: number;
  retry?: RetryPolicy;
  /** Where zips are unzipped and parsed (default: a worker thread, see archive-reader.ts). */
  reader?: ArchiveReader;
}

/** Network errors and 5xx are retried a few times; after that the period goes to REST. */
const ARCHIVE_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8_000, maxTotalMs: 60_000 };

/** The sha256 a CHECKSUM file gives for `name`, or null if it names another file or is unreadable. */
export function parseChecksum(text: string, name: string): string | null {
  const m = /^([0-9a-fA-F]{64})[ \t]+\*?(\S+)\s*$/m.exec(text.trim());
  return m && m[2] === name ? m[1]!.toLowerCase() : null;
}

export class BinanceArchiveClient {
  constructor(private readonly o: ArchiveClientOptions) {}

  url(period: ArchivePeriod): string {
    return archiveUrl(this.o.baseUrl, period);
  }

  async fetch(period: ArchivePeriod, signal?: AbortSignal): Promise<ArchiveOutcome> {
    const name = archiveName(period);
    const url = this.url(period);
    let downloads = 0;
    const get = (target: string): Promise<BytesResponse> =>
      withRetry(
        this.o.clock,
        this.o.retry ?? ARCHIVE_RETRY,
        () => {
          downloads++;
          return this.getOnce(target, signal);
        },
        { signal },
      );
    const missing = (res: BytesResponse): boolean => res.status === 404 || res.status === 403;
    try {
      // The checksum and the file together: one round trip per file, not two.
      const first = get(url);
      first.catch(() => undefined); // awaited below, unless the checksum already settled it
      const sum = await get(`${url}.CHECKSUM`);
      if (missing(sum))
        return { status: 'missing', detail: `${name}.CHECKSUM is not published (HTTP ${sum.status})`, downloads };
      const expected = parseChecksum(sum.body.toString('latin1'), name);
      if (!expected)
        return { status: 'corrupt', detail: `${name}.CHECKSUM does not hold a sha256 for ${name}`, downloads };
      let actual = '';
      for (let attempt = 0; attempt < 2; attempt++) {
        const zip = attempt === 0 ? await first : await get(url);
        if (missing(zip))
          return { status: 'missing', detail: `${name} is not published (HTTP ${zip.status})`, downloads };
        actual = createHash('sha256').update(zip.body).digest('hex');
        if (actual === expected)
          return { ...(await (this.o.reader ?? sharedArchiveReader).read(zip.body, period, name)), downloads };
      }
      return {
        status: 'corrupt',
        detail: `${name} has sha256 ${actual.slice(0, 12)}…, its CHECKSUM says ${expected.slice(0, 12)}…`,
        downloads,
      };
    } catch (err) {
      if (signal?.aborted) throw err;
      if (err instanceof SourceError) return { status: 'unavailable', detail: err.message, downloads };
      throw err;
    }
  }

  private async getOnce(url: string, signal?: AbortSignal): Promise<BytesResponse> {
    let res: BytesResponse;
    try {
      res = await getBytes(url, { timeoutMs: this.o.timeoutMs ?? 60_000, signal });
    } catch (err) {
      if (err instanceof NetworkError)
        throw new SourceError(
          `Binance archive unreachable: ${err.message}`,
          err.code === 'aborted' ? 'rejected' : 'unavailable',
        );
      throw err;
    }
    if (res.status >= 500 || res.status === 429)
      throw new SourceError(`Binance archive answered HTTP ${res.status}`, 'unavailable');
    if (res.status !== 200 && res.status !== 404 && res.status !== 403)
      throw new SourceError(`Binance archive answered HTTP ${res.status}`, 'rejected');
    return res;
  }
}
