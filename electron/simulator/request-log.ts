/** Every request the simulator receives, so tests can assert what a client sent and when. */
export interface LoggedRequest {
  seq: number;
  /** Simulator clock time when the request arrived (ms). */
  at: number;
  /** Wall-clock arrival (ms), for pacing checks independent of the simulated clock. */
  wallAt: number;
  /** Which listening port (host) received it. */
  host: string;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** Request weight charged (Binance). */
  weight: number;
  /** The fault applied, or a note such as 'in_flight_after_429'. */
  fault?: string;
  /** Retry-After sent with a 429/418, in seconds. */
  retryAfter?: number;
}

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private seq = 0;
  constructor(private readonly capacity = 200_000) {}

  add(entry: Omit<LoggedRequest, 'seq'>): LoggedRequest {
    const logged = { ...entry, seq: ++this.seq };
    this.entries.push(logged);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    return logged;
  }

  since(seq = 0): LoggedRequest[] {
    return this.entries.filter((e) => e.seq > seq);
  }

  clear(): void {
    this.entries = [];
  }
}
