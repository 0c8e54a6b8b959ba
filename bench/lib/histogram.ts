import type { LatencySummary } from './stats.js';

/** Bucket width: 10 µs, fine enough for sub-millisecond percentiles. */
const bucketsPerMs = 100;

/**
 * Latencies counted in 10 µs buckets. A client process may receive millions of events: it sends
 * these counts (a few thousand pairs) to the bench instead of every sample, and the bench merges
 * the processes' histograms before taking percentiles.
 */
export class LatencyHistogram {
  private readonly counts = new Map<number, number>();
  private total = 0;

  record(latencyMs: number): void {
    // Clocks of two processes may disagree by a few µs: a negative latency counts as zero.
    const bucket = Math.max(0, Math.round(latencyMs * bucketsPerMs));
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1);
    this.total += 1;
  }

  get count(): number {
    return this.total;
  }

  /** `[bucket, count]` pairs, for IPC. */
  toPairs(): [number, number][] {
    return [...this.counts];
  }

  merge(pairs: readonly (readonly [number, number])[]): void {
    for (const [bucket, count] of pairs) {
      this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + count);
      this.total += count;
    }
  }

  /** p50, p95, p99, p99.9 and max by nearest rank, in ms. */
  summary(): LatencySummary {
    const buckets = [...this.counts.keys()].sort((a, b) => a - b);
    const at = (p: number): number => {
      if (this.total === 0) return Number.NaN;
      const rank = Math.max(1, Math.ceil((p / 100) * this.total));
      let seen = 0;
      for (const bucket of buckets) {
        seen += this.counts.get(bucket) ?? 0;
        if (seen >= rank) return bucket / bucketsPerMs;
      }
      return (buckets.at(-1) ?? Number.NaN) / bucketsPerMs;
    };
    return {
      count: this.total,
      p50: at(50),
      p95: at(95),
      p99: at(99),
      p999: at(99.9),
      max: this.total === 0 ? Number.NaN : (buckets.at(-1) ?? 0) / bucketsPerMs,
    };
  }
}
