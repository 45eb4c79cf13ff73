/**
 * Where an export writes: a Node stream, with back-pressure, so that a year of 1m candles streams
 * through in constant memory however slow the reader (a pipe, an HTTP download) is.
 */
import { once } from 'node:events';

export interface CandleSink {
  /** Resolves when the sink can take more. */
  write(chunk: string | Uint8Array): Promise<void>;
}

export function streamSink(stream: NodeJS.WritableStream): CandleSink {
  return {
    async write(chunk) {
      if (!stream.write(chunk)) await drainedOrClosed(stream);
    },
  };
}

/**
 * Waits for 'drain' or 'close', whichever comes first, then takes back the other wait's listeners:
 * left behind, one per back-pressure pause, they pile up on a long export.
 */
async function drainedOrClosed(stream: NodeJS.WritableStream): Promise<void> {
  const done = new AbortController();
  try {
    await Promise.race([
      once(stream, 'drain', { signal: done.signal }),
      once(stream, 'close', { signal: done.signal }),
    ]);
  } finally {
    done.abort();
  }
}

/** Gathers small writes into ~64 KB chunks (a candle row is ~60 bytes). */
export class BufferedSink implements CandleSink {
  private pending = '';
  constructor(
    private readonly target: CandleSink,
    private readonly threshold = 1 << 16,
  ) {}

  async write(chunk: string | Uint8Array): Promise<void> {
    if (typeof chunk !== 'string') {
      await this.flush();
      return this.target.write(chunk);
    }
    this.pending += chunk;
    if (this.pending.length >= this.threshold) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    await this.target.write(text);
  }
}
