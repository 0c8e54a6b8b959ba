/** Failures and completions counted over a window. */
export interface WindowCounts {
  readonly failed: number;
  readonly completed: number;
}

/**
 * A sliding window of failures and completions: a ring of time buckets with running totals.
 * Recording and reading are O(1) (amortized: moving time forward clears the buckets it passes,
 * at most all of them once), and memory is fixed by the bucket count, not by traffic. Time is
 * passed in (ms); a record older than the window is ignored, and one slightly older than the
 * newest seen still lands in its own bucket.
 */
export class FailureWindow {
  private readonly bucketMs: number;
  private readonly failed: number[];
  private readonly completed: number[];
  private failedTotal = 0;
  private completedTotal = 0;
  /** The bucket index (time / bucketMs) of the newest bucket in the ring. */
  private head: number | null = null;

  constructor(
    readonly windowMs: number,
    readonly buckets = 60,
  ) {
    this.bucketMs = Math.max(1, Math.ceil(windowMs / buckets));
    this.failed = new Array<number>(buckets).fill(0);
    this.completed = new Array<number>(buckets).fill(0);
  }

  record(kind: 'failed' | 'completed', at: number): void {
    const bucket = Math.floor(at / this.bucketMs);
    this.advance(bucket);
    const head = this.head ?? bucket;
    if (bucket <= head - this.buckets) return;
    const slot = this.slot(bucket);
    if (kind === 'failed') {
      this.failed[slot] = (this.failed[slot] ?? 0) + 1;
      this.failedTotal += 1;
    } else {
      this.completed[slot] = (this.completed[slot] ?? 0) + 1;
      this.completedTotal += 1;
    }
  }

  /** What the window holds at time `now`. */
  counts(now: number): WindowCounts {
    this.advance(Math.floor(now / this.bucketMs));
    return { failed: this.failedTotal, completed: this.completedTotal };
  }

  private advance(bucket: number): void {
    if (this.head === null) {
      this.head = bucket;
      return;
    }
    if (bucket <= this.head) return;
    const steps = Math.min(bucket - this.head, this.buckets);
    for (let step = 1; step <= steps; step += 1) {
      const slot = this.slot(this.head + step);
      this.failedTotal -= this.failed[slot] ?? 0;
      this.completedTotal -= this.completed[slot] ?? 0;
      this.failed[slot] = 0;
      this.completed[slot] = 0;
    }
    this.head = bucket;
  }

  private slot(bucket: number): number {
    return ((bucket % this.buckets) + this.buckets) % this.buckets;
  }
}
