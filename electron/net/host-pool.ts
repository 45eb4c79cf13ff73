/**
 * Equivalent hosts serving the same data (Binance's api, api1-api4, data-api.binance.vision): requests
 * are spread round-robin over the healthy ones; a host that fails at the network level (or keeps
 * answering 5xx) is skipped until a probe to it succeeds, then it takes load again.
 */
import type { Clock } from './clock.js';

export interface HostState {
  url: string;
  healthy: boolean;
  consecutiveFailures: number;
  /** When the next probe of an unhealthy host is due. */
  nextProbeAt: number | null;
}

export interface HostPoolOptions {
  /** Consecutive failures (5xx, network) that take a host out of rotation. */
  failuresToEject?: number;
  firstProbeDelayMs?: number;
  maxProbeDelayMs?: number;
  /** Resolves true when the host answers again (e.g. GET /api/v3/ping). */
  probe?: (url: string) => Promise<boolean>;
}

export class HostPool {
  private readonly hosts: HostState[];
  private cursor = 0;
  private stopped = false;
  private readonly stopController = new AbortController();
  private readonly probeDelay = new Map<string, number>();

  constructor(
    urls: string[],
    private readonly clock: Clock,
    private readonly options: HostPoolOptions = {},
  ) {
    if (!urls.length) throw new Error('a host pool needs at least one base URL');
    this.hosts = urls.map((url) => ({
      url: url.replace(/\/+$/, ''),
      healthy: true,
      consecutiveFailures: 0,
      nextProbeAt: null,
    }));
  }

  /** The next host to use: round-robin over healthy ones; if none is healthy, the one probed soonest. */
  pick(): string {
    // Without a probe function, a request itself is the probe once the host's wait is over.
    if (!this.options.probe) {
      const due = this.hosts.find((h) => !h.healthy && h.nextProbeAt !== null && h.nextProbeAt <= this.clock.now());
      if (due) {
        due.nextProbeAt = this.clock.now() + (this.options.firstProbeDelayMs ?? 1_000);
        return due.url;
      }
    }
    const healthy = this.hosts.filter((h) => h.healthy);
    if (healthy.length) return healthy[this.cursor++ % healthy.length]!.url;
    return [...this.hosts].sort((a, b) => (a.nextProbeAt ?? 0) - (b.nextProbeAt ?? 0))[0]!.url;
  }

  /**
   * True when no host is in rotation and none may be tried yet (callers should wait for a probe).
   * Without a probe function the next request is the probe: once a host's wait is over it may go,
   * or a pool whose hosts were all down at once would refuse every request for ever.
   */
  allDown(): boolean {
    if (
      !this.options.probe &&
      this.hosts.some((h) => !h.healthy && h.nextProbeAt !== null && h.nextProbeAt <= this.clock.now())
    )
      return false;
    return this.hosts.every((h) => !h.healthy);
  }

  /** Earliest time an unhealthy host will be probed again. */
  nextProbeAt(): number | null {
    const times = this.hosts.map((h) => h.nextProbeAt).filter((t): t is number => t !== null);
    return times.length ? Math.min(...times) : null;
  }

  success(url: string): void {
    const host = this.find(url);
    host.consecutiveFailures = 0;
    if (!host.healthy) this.restore(host);
  }

  failure(url: string): void {
    const host = this.find(url);
    host.consecutiveFailures++;
    if (host.healthy && host.consecutiveFailures >= (this.options.failuresToEject ?? 2)) this.eject(host);
  }

  /** A network-level failure (refused, reset, timeout): out of rotation at once. */
  unreachable(url: string): void {
    const host = this.find(url);
    host.consecutiveFailures++;
    if (host.healthy) this.eject(host);
  }

  snapshot(): HostState[] {
    return this.hosts.map((h) => ({ ...h }));
  }

  stop(): void {
    this.stopped = true;
    this.stopController.abort();
  }

  private find(url: string): HostState {
    const host = this.hosts.find((h) => h.url === url.replace(/\/+$/, ''));
    if (!host) throw new Error(`unknown host ${url}`);
    return host;
  }

  private restore(host: HostState): void {
    host.healthy = true;
    host.nextProbeAt = null;
    host.consecutiveFailures = 0;
    this.probeDelay.delete(host.url);
  }

  private eject(host: HostState): void {
    host.healthy = false;
    this.scheduleProbe(host);
  }

  /** Probe loop for one ejected host: re-arms itself with a growing delay until the host answers. */
  private scheduleProbe(host: HostState): void {
    if (this.stopped || !this.options.probe) {
      host.nextProbeAt = this.clock.now() + (this.options.firstProbeDelayMs ?? 1_000);
      return;
    }
    const delay = this.probeDelay.get(host.url) ?? this.options.firstProbeDelayMs ?? 1_000;
    this.probeDelay.set(host.url, Math.min(this.options.maxProbeDelayMs ?? 60_000, delay * 2));
    host.nextProbeAt = this.clock.now() + delay;
    void this.clock.sleep(delay, this.stopController.signal).then(async () => {
      if (this.stopped || host.healthy) return;
      const ok = await this.options.probe!(host.url).catch(() => false);
      if (ok) this.restore(host);
      else this.scheduleProbe(host);
    });
  }
}
