/**
 * Response times in fixed buckets (0.1 ms wide up to 10 s, then one overflow bucket), so a week of
 * requests costs the same memory as a minute of them: the soak must not grow what it measures.
 */
const BUCKET_MS = 0.1;
const BUCKETS = 100_000;

export class LatencyHistogram {
  private readonly counts = new Uint32Array(BUCKETS + 1);
  private total = 0;
  private sumMs = 0;

  add(ms: number): void {
    this.counts[Math.min(BUCKETS, Math.max(0, Math.floor(ms / BUCKET_MS)))]!++;
    this.total++;
    this.sumMs += ms;
  }

  get count(): number {
    return this.total;
  }

  /** Sum of every time added, ms. */
  get sum(): number {
    return this.sumMs;
  }

  mean(): number {
    return this.total ? this.sumMs / this.total : 0;
  }

  /** The upper edge of the bucket holding the p-th percentile (0 < p ≤ 100). */
  percentile(p: number): number {
    if (!this.total) return 0;
    const rank = Math.ceil((p / 100) * this.total);
    let seen = 0;
    for (let i = 0; i <= BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return (i + 1) * BUCKET_MS;
    }
    return (BUCKETS + 1) * BUCKET_MS;
  }
}
